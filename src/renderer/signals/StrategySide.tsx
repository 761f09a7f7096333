/**
 * The right-hand column beside the charts: the watchlist on top (passed in; a trader coming from
 * TradingView looks for it there), the strategy panel under it, then the meta panel (the meta-score and
 * entry gate, passed in), then tabs for Why,
 * Features, Scorecard and Retrain. It folds away to a narrow strip (remembered), so the charts can
 * have the whole width. Tabs follow the WAI-ARIA tabs pattern (arrow keys move between them).
 */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { FeaturePanel } from './FeaturePanel';
import { RetrainPanel } from './RetrainPanel';
import { Scorecard } from './Scorecard';
import { StrategyPanel } from './StrategyPanel';
import { WhyView } from './WhyView';
import { SIGNALS_TABS, type Signals, type SignalsTab } from './use-signals';
import { useScorecard } from './use-scorecard';
import { useExplanation, useFeatures } from './use-signal-views';

const TAB_LABEL: Record<SignalsTab, string> = {
  why: 'Why',
  features: 'Features',
  scorecard: 'Scorecard',
  retrain: 'Retrain',
};

/** `top`: shown first, above the strategy panel (the watchlist); `meta`: shown right under the strategy panel. */
export function StrategySide({
  signals,
  top = null,
  meta = null,
}: {
  signals: Signals;
  top?: ReactNode;
  meta?: ReactNode;
}) {
  const { tab, refreshKey, shown } = signals;
  const baseId = useId();
  const tabRefs = useRef(new Map<SignalsTab, HTMLButtonElement>());
  const features = useFeatures(tab === 'why' || tab === 'features', refreshKey);
  const explanation = useExplanation(tab === 'why' ? (shown?.barStart ?? null) : null, refreshKey);
  const scorecard = useScorecard(tab === 'scorecard', refreshKey);
  const training = signals.training.state;
  const trainingBadge =
    training.progress !== null && ['preparing', 'training', 'evaluating'].includes(training.progress.phase)
      ? '…'
      : training.progress?.phase === 'done' && training.decision === null
        ? '•'
        : null;

  if (signals.folded) {
    return (
      <aside
        className="signals-side signals-folded"
        aria-label="Strategy"
        data-testid="signals-side"
        data-folded="true"
      >
        <button
          type="button"
          className="signals-unfold"
          aria-label="Show the strategy column"
          title="Show the strategy column"
          onClick={() => signals.setFolded(false)}
        >
          <span aria-hidden="true">‹</span>
          <span className="signals-unfold-text">Strategy</span>
        </button>
      </aside>
    );
  }

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>): void => {
    const index = SIGNALS_TABS.indexOf(tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    let next: SignalsTab | undefined;
    if (step !== 0) next = SIGNALS_TABS[(index + step + SIGNALS_TABS.length) % SIGNALS_TABS.length];
    else if (event.key === 'Home') next = SIGNALS_TABS[0];
    else if (event.key === 'End') next = SIGNALS_TABS[SIGNALS_TABS.length - 1];
    if (next === undefined) return;
    event.preventDefault();
    signals.setTab(next);
    tabRefs.current.get(next)?.focus();
  };

  return (
    <aside className="signals-side" aria-label="Strategy" data-testid="signals-side" data-folded="false">
      {top}
      <StrategyPanel signals={signals} />
      {meta}
      <div className="signals-tabs" role="tablist" aria-label="Strategy views">
        {SIGNALS_TABS.map((id) => (
          <button
            key={id}
            ref={(element) => {
              if (element) tabRefs.current.set(id, element);
              else tabRefs.current.delete(id);
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`${baseId}-panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            className="signals-tab"
            data-testid={`signals-tab-${id}`}
            onClick={() => signals.setTab(id)}
            onKeyDown={onTabKey}
          >
            {TAB_LABEL[id]}
            {id === 'retrain' && trainingBadge !== null ? (
              <span
                className="signals-tab-badge"
                aria-label={trainingBadge === '…' ? ' (running)' : ' (report ready)'}
              >
                {trainingBadge}
              </span>
            ) : null}
          </button>
        ))}
      </div>
      <div
        className="signals-tab-panel"
        role="tabpanel"
        id={`${baseId}-panel-${tab}`}
        aria-labelledby={`${baseId}-tab-${tab}`}
        data-testid={`signals-panel-${tab}`}
      >
        {tab === 'why' ? (
          <WhyView prediction={shown} explanation={explanation} streams={features.value?.streams ?? null} />
        ) : null}
        {tab === 'features' ? (
          <FeaturePanel features={features} picked={signals.selected !== null ? shown : null} />
        ) : null}
        {tab === 'scorecard' ? <Scorecard scorecard={scorecard} /> : null}
        {tab === 'retrain' ? <RetrainPanel training={signals.training} model={signals.model.model} /> : null}
      </div>
    </aside>
  );
}
