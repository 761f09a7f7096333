/**
 * The replay bar (replay mode only): play/pause, step one minute (one session in a daily replay), speed, seek (a slider over the replayed
 * range and a New York date and 24-hour time typed in), the replay clock and whether it has finished. It
 * sends intents and shows the engine's replay state; it computes nothing of the replay itself. Space
 * plays and pauses, the right arrow steps (replay-commands.ts says where the focus keeps them).
 */
import { useEffect, useEffectEvent, useId, useRef, useState, type FormEvent } from 'react';
import type { ReplayState } from '../../shared/domain';
import { formatExchangeDateTime, formatMarketClock } from '../time/exchange-time';
import { formatSpeed, replayKey, replaySpeeds, type KeyTarget } from './replay-commands';
import { SEEK_FORMAT_HINT, checkSeekText } from './seek-text';
import type { Replay } from './use-replay';

const MINUTE = 60_000;

/** The last minute of the range: `to` is the first instant after it. */
const lastMinute = (state: ReplayState): number => Math.max(state.from, state.to - MINUTE);

function stateLabel(state: ReplayState): { text: string; tone: string } {
  if (state.finished) return { text: 'Finished', tone: 'finished' };
  return state.playing ? { text: 'Playing', tone: 'playing' } : { text: 'Paused', tone: 'paused' };
}

const formatDay = (ms: number): string => formatMarketClock(ms).split(' ').slice(0, 3).join(' ');

export function ReplayControls({ replay }: { replay: Replay }) {
  const { state, error, send } = replay;

  // Shortcuts for the whole window, while the bar is shown. A key the replay takes has its default
  // prevented on the way down and up: a focused button clicks on space's keyup in some browsers.
  const onKey = useEffectEvent((event: KeyboardEvent): void => {
    if (event.defaultPrevented) return;
    const key = replayKey(event, keyTarget(event.target), state);
    if (key === null) return;
    event.preventDefault();
    if (event.type === 'keydown' && key.command !== null) send(key.command);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent): void => onKey(event);
    window.addEventListener('keydown', listener);
    window.addEventListener('keyup', listener);
    return () => {
      window.removeEventListener('keydown', listener);
      window.removeEventListener('keyup', listener);
    };
  }, []);

  return (
    <div
      className="replay-bar"
      data-testid="replay-controls"
      role="toolbar"
      aria-label="Replay controls"
      aria-busy={replay.busy}
    >
      {state === null ? (
        <span className="replay-waiting">{error ?? 'Waiting for the replay…'}</span>
      ) : (
        <ReplayBody state={state} replay={replay} />
      )}
      {state !== null && error !== null ? (
        <span className="replay-error" role="alert" data-testid="replay-error" title={error}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** The focused element as the shortcuts see it. */
function keyTarget(target: EventTarget | null): KeyTarget | null {
  if (!(target instanceof HTMLElement)) return null;
  return {
    tagName: target.tagName,
    ...(target instanceof HTMLInputElement ? { type: target.type } : {}),
    isContentEditable: target.isContentEditable,
    inDialog: target.closest('[role=dialog]') !== null,
  };
}

function ReplayBody({ state, replay }: { state: ReplayState; replay: Replay }) {
  const { send } = replay;
  const label = stateLabel(state);
  const time = state.time ?? state.from;
  const daily = state.granularity === '1D';
  return (
    <>
      <button
        type="button"
        className="replay-play"
        data-testid="replay-play"
        data-playing={state.playing ? 'true' : 'false'}
        onClick={() => send({ action: state.playing ? 'pause' : 'play' })}
        title={
          state.playing
            ? 'Pause (space)'
            : state.finished
              ? 'Play again from the start (space)'
              : 'Play (space)'
        }
      >
        {state.playing ? '❚❚ Pause' : state.finished ? '↺ Play again' : '▶ Play'}
      </button>
      <button
        type="button"
        data-testid="replay-step"
        disabled={state.finished}
        onClick={() => send({ action: 'step' })}
        title={daily ? 'Step one session, to its close (→)' : 'Step one minute (→)'}
      >
        Step ▸|
      </button>
      <span className="replay-speeds" role="group" aria-label="Replay speed">
        {replaySpeeds(state.granularity).map((speed) => (
          <button
            key={String(speed)}
            type="button"
            className="replay-speed"
            data-testid={`replay-speed-${speed}`}
            aria-pressed={state.speed === speed}
            title={
              speed === 'max'
                ? 'As fast as the engine takes the bars'
                : `${speed.toLocaleString('en-US')} market seconds per second`
            }
            onClick={() => send({ action: 'speed', speed })}
          >
            {formatSpeed(speed, state.granularity)}
          </button>
        ))}
      </span>
      <SeekSlider state={state} onSeek={(to) => send({ action: 'seek', time: to })} />
      <SeekInput state={state} onSeek={(to) => send({ action: 'seek', time: to })} />
      <time
        className="replay-clock"
        data-testid="replay-clock"
        data-time={state.time !== null ? String(state.time) : ''}
        title="Replay clock, America/New_York"
      >
        {state.time !== null ? formatMarketClock(time) : '—'}
      </time>
      <span className="replay-state" data-testid="replay-state" data-state={label.tone}>
        {label.text}
      </span>
    </>
  );
}

/**
 * A slider over [from, to]. It seeks when the trader lets go (the native change event), not while
 * dragging; the thumb stays where it was dropped until the engine's next state says where the replay is.
 */
function SeekSlider({ state, onSeek }: { state: ReplayState; onSeek: (time: number) => void }) {
  const [draft, setDraft] = useState<{ value: number; sentAt: ReplayState | null } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const commit = useEffectEvent((value: number): void => {
    setDraft({ value, sentAt: state });
    onSeek(value);
  });

  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    const listener = (): void => commit(Number(input.value));
    input.addEventListener('change', listener);
    return () => input.removeEventListener('change', listener);
  }, []);

  const dragging = draft !== null && draft.sentAt === null;
  const shown = draft !== null && (dragging || draft.sentAt === state) ? draft.value : null;
  const value = shown ?? state.time ?? state.from;
  return (
    <span className="replay-slider-wrap">
      <span className="replay-range-label">{formatDay(state.from)}</span>
      <input
        ref={inputRef}
        type="range"
        className="replay-slider"
        data-testid="replay-slider"
        aria-label="Replay position"
        aria-valuetext={formatMarketClock(value)}
        min={state.from}
        max={lastMinute(state)}
        step={MINUTE}
        value={value}
        onChange={(event) => setDraft({ value: Number(event.target.value), sentAt: null })}
      />
      <span className="replay-range-label">{formatDay(state.to)}</span>
      {dragging ? <span className="replay-draft">→ {formatMarketClock(value)}</span> : null}
    </span>
  );
}

/**
 * A New York date and 24-hour time to seek to ("2025-03-13 14:05"), as text so it reads the same in
 * every browser locale; Enter or Go sends it. It shows the replay clock until the trader edits it, then
 * the edit, checked as typed (format and range), until it is sent or Escape drops it.
 */
function SeekInput({ state, onSeek }: { state: ReplayState; onSeek: (time: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const problemId = useId();
  const range = { first: state.from, last: lastMinute(state) };
  const text = draft ?? formatExchangeDateTime(state.time ?? state.from);
  // Only an edit is checked: the clock itself may stand at the range's very end.
  const check = draft !== null ? checkSeekText(draft, range) : null;
  const problem = check?.problem ?? null;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (check === null) {
      onSeek(state.time ?? state.from);
      return;
    }
    if (check.time === null) return;
    setDraft(null);
    onSeek(check.time);
  };
  return (
    <form className="replay-seek" onSubmit={submit}>
      <label className="replay-seek-label" htmlFor="replay-seek-input">
        Seek to (ET)
      </label>
      <input
        id="replay-seek-input"
        type="text"
        className="replay-seek-input"
        data-testid="replay-seek-input"
        value={text}
        placeholder={SEEK_FORMAT_HINT}
        title={`New York time, 24-hour: ${SEEK_FORMAT_HINT}, from ${formatExchangeDateTime(range.first)} to ${formatExchangeDateTime(range.last)}`}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem !== null}
        aria-describedby={problem !== null ? problemId : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setDraft(null);
        }}
      />
      <button type="submit" data-testid="replay-seek-go" disabled={problem !== null}>
        Go
      </button>
      {problem !== null ? (
        <span id={problemId} className="replay-seek-problem" role="alert" data-testid="replay-seek-problem">
          {problem}
        </span>
      ) : null}
    </form>
  );
}
