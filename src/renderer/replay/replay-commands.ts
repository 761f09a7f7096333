/**
 * What the replay controls send: the speeds a trader picks from, and the keyboard shortcuts (space =
 * play/pause, right arrow = step one minute of market time, one session in a daily replay). Pure: the
 * component wires them to the page.
 */
import type { ReplayCommand, ReplayGranularity, ReplayState, Speed } from '../../shared/domain';

/** Market seconds per wall second; 'max' = as fast as the engine can go. */
export const REPLAY_SPEEDS: readonly Speed[] = [1, 10, 60, 600, 'max'];
/** A regular NYSE session, 09:30-16:00, in market seconds: a daily replay's speeds are told in sessions. */
const SESSION_SECONDS = 23_400;
/** A daily replay's speeds: a session in 10 s, in 1 s (its default), 10 sessions a second, max. */
export const DAILY_REPLAY_SPEEDS: readonly Speed[] = [2_340, 23_400, 234_000, 'max'];

/** The speeds to offer for what the replay plays. */
export const replaySpeeds = (granularity: ReplayGranularity): readonly Speed[] =>
  granularity === '1D' ? DAILY_REPLAY_SPEEDS : REPLAY_SPEEDS;

/** "60×", "max"; in a daily replay, in sessions: "10 s/session", "1 session/s", "10 sessions/s". */
export function formatSpeed(speed: Speed, granularity: ReplayGranularity = '1m'): string {
  if (speed === 'max') return 'max';
  if (granularity === '1m') return `${speed}×`;
  const perSecond = speed / SESSION_SECONDS;
  const round = (n: number): number => Math.round(n * 10) / 10;
  if (perSecond >= 1) return `${round(perSecond)} session${round(perSecond) === 1 ? '' : 's'}/s`;
  return `${round(1 / perSecond)} s/session`;
}

/** The element a key went to, as far as shortcuts care. */
export interface KeyTarget {
  tagName: string;
  /** An input's type ("text", "range"...); absent for other elements. */
  type?: string;
  isContentEditable?: boolean;
  /** Inside an open panel (a dialog): its controls keep every key, as in any dialog. */
  inDialog?: boolean;
}

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  repeat?: boolean;
}

/** What to do with a key the replay takes: stop the browser's own action, and send `command` if any. */
export interface ReplayKey {
  /** Null for a held space: the key is still the replay's (a focused button must not click). */
  command: ReplayCommand | null;
}

/** Controls that take these keys themselves: typing and choosing. */
const TYPING_TAGS = new Set(['TEXTAREA', 'SELECT']);

const isSpace = (key: string): boolean => key === ' ' || key === 'Spacebar';

/** Focus is where `key` is typed or chooses something: the key belongs to that control. */
function keyBelongsToTarget(key: string, target: KeyTarget | null): boolean {
  if (target === null) return false;
  if (target.inDialog || target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (TYPING_TAGS.has(tag)) return true;
  if (tag !== 'INPUT') return false;
  // A slider moves with the arrows but does nothing with space; every other input types or toggles it.
  return !(isSpace(key) && target.type?.toLowerCase() === 'range');
}

/**
 * The replay's part in a key press: null to leave the key alone, else the key is the replay's (the
 * caller prevents its default) and `command` is what to send.
 *
 * Space plays and pauses wherever the focus is, except in a text field, a list, editable text or an open
 * panel: on a focused button too (the replay bar's Step, a speed...), whose own click it replaces, so
 * space never steps or changes speed by accident; Enter still clicks the focused button. The right arrow
 * steps one minute except in those places and on a slider (which it moves). Never with a modifier
 * (browser and system shortcuts). A held space does not toggle again and again. Nothing is sent before
 * the state is known. Once the replay has finished, space plays it again (the engine starts over) and
 * there is nothing to step.
 */
export function replayKey(
  press: KeyPress,
  target: KeyTarget | null,
  state: ReplayState | null,
): ReplayKey | null {
  if (state === null) return null;
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (keyBelongsToTarget(press.key, target)) return null;
  if (isSpace(press.key)) {
    return { command: press.repeat ? null : { action: state.playing ? 'pause' : 'play' } };
  }
  if (press.key === 'ArrowRight') return state.finished ? null : { command: { action: 'step' } };
  return null;
}
