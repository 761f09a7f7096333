/**
 * The mode in Settings: which mode this window's engine runs in, and how to start another. The engine
 * never switches mode while it runs (feed, broker and clock are chosen at start-up), so this says exactly
 * what to run; it does not pretend a switch.
 */
import { useId, useState } from 'react';
import { ENGINE_MODES, type EngineMode } from '../../shared/domain';

const MODE_WORDS: Record<EngineMode, string> = {
  demo: 'a generated market and the demo broker; no account needed',
  replay: 'the stored history at any speed, with the demo broker',
  paper: 'Alpaca market data and your Alpaca paper account (needs broker keys)',
  live: 'Alpaca market data and your Alpaca live account: real money (needs broker keys)',
};

export function ModeSettings({ mode }: { mode: EngineMode | null }) {
  const selectId = useId();
  // Preselected: the mode that runs (also once it arrives after the first render), until the trader picks.
  const [picked, setPicked] = useState<EngineMode | null>(null);
  const next: EngineMode = picked ?? mode ?? 'demo';
  return (
    <div className="settings-mode" data-testid="settings-mode" data-mode={mode ?? ''}>
      <p className="panel-text">
        This window runs in{' '}
        <strong data-testid="settings-mode-current">{mode ? mode.toUpperCase() : '—'}</strong>
        {mode ? `: ${MODE_WORDS[mode]}.` : '.'} The engine keeps its mode while it runs; to use another, quit
        the workstation and start it again in that mode.
      </p>
      <div className="settings-field">
        <label htmlFor={selectId}>Start in</label>
        <select
          id={selectId}
          data-testid="settings-mode-next"
          value={next}
          onChange={(event) => setPicked(event.target.value as EngineMode)}
        >
          {ENGINE_MODES.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      </div>
      <p className="panel-muted">{MODE_WORDS[next]}</p>
      <dl className="settings-commands" data-testid="settings-mode-commands">
        <dt>Desktop app</dt>
        <dd>
          <code>npm start -- --mode {next}</code>
        </dd>
        <dt>In a browser</dt>
        <dd>
          <code>npx trm web --mode {next}</code>
        </dd>
      </dl>
      <p className="panel-muted">
        Without <code>--mode</code> the desktop app starts in the mode named by <code>&quot;mode&quot;</code>{' '}
        in <code>settings.json</code> in the data folder, else in demo mode.
      </p>
    </div>
  );
}
