/**
 * Settings, opened from the top bar (or `,`): broker keys, the mode (and how to start another), the risk
 * limits, the strategy model, and the theme. Each section acts through the same contract calls as the
 * rest of the window; nothing here is kept in the window itself.
 */
import { useId, type ReactNode } from 'react';
import { THEMES, type EngineMode, type Theme, type TradingStatus } from '../../shared/domain';
import type { EngineClient } from '../../shared/rpc-client';
import { Panel } from '../panels/Panel';
import type { ModelState } from '../signals/use-signal-views';
import type { TrainingControl } from '../signals/use-training';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { KeysSettings } from './KeysPanel';
import { ModeSettings } from './ModeSettings';
import { ModelSettings } from './ModelSettings';
import { RiskLimitsSettings } from './RiskLimitsSettings';

export interface SettingsPanelProps {
  onClose: () => void;
  mode: EngineMode | null;
  trading: {
    client: EngineClient;
    status: TradingStatus | null;
    unavailable: string | null;
    onStatus: (status: TradingStatus) => void;
  };
  model: ModelState;
  training: TrainingControl;
}

const THEME_LABEL: Record<Theme, string> = { dark: 'Dark', light: 'Light' };

export function SettingsPanel({ onClose, mode, trading, model, training }: SettingsPanelProps) {
  return (
    <Panel title="Settings" testId="settings-panel" onClose={onClose}>
      <SettingsSection title="Theme" testId="settings-theme">
        <ThemeChoice />
      </SettingsSection>
      <SettingsSection title="Risk limits" testId="settings-limits">
        <RiskLimitsSettings {...trading} />
      </SettingsSection>
      <SettingsSection title="Strategy model" testId="settings-model-section">
        <ModelSettings model={model} training={training} />
      </SettingsSection>
      <SettingsSection title="Mode" testId="settings-mode-section">
        <ModeSettings mode={mode} />
      </SettingsSection>
      <SettingsSection title="Broker keys" testId="settings-keys">
        <KeysSettings />
      </SettingsSection>
    </Panel>
  );
}

function SettingsSection({
  title,
  testId,
  children,
}: {
  title: string;
  testId: string;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <section className="settings-section" aria-labelledby={titleId} data-testid={testId}>
      <h3 id={titleId}>{title}</h3>
      {children}
    </section>
  );
}

/** Dark or light, kept in the workspace (the `t` key flips it too). */
function ThemeChoice() {
  const { workspace, change } = useWorkspaceControl();
  return (
    <div className="panel-actions" role="group" aria-label="Theme">
      {THEMES.map((theme) => (
        <button
          key={theme}
          type="button"
          data-testid={`theme-${theme}`}
          aria-pressed={workspace.theme === theme}
          onClick={() => change((w) => ({ ...w, theme }))}
        >
          {THEME_LABEL[theme]}
        </button>
      ))}
    </div>
  );
}
