/**
 * What the replay controls send: the speeds a trader picks from, and the keyboard shortcuts (space =
 * play/pause, right arrow = step one bar). Pure: the component wires them to the page.
 */
import type { ReplayCommand, ReplayState, Speed } from '../../shared/domain';

/** Market seconds per wall second; 'max' = as fast as the engine can go. */
export const REPLAY_SPEEDS: readonly Speed[] = [1, 10, 60, 600, 'max'];

export const formatSpeed = (speed: Speed): string => (speed === 'max' ? 'max' : `${speed}×`);

/** The element a key went to, as far as shortcuts care. */
export interface KeyTarget {
  tagName: string;
  isContentEditable?: boolean;
}

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  repeat?: boolean;
}

/** Controls that take these keys themselves: typing, choosing, sliding. */
const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/**
 * The command a key press asks for, or null to leave the key alone: never while focus is in an input,
 * a list or an editable element, never with a modifier (browser and system shortcuts), and not space on
 * a button (the browser already clicks it). Nothing before the state is known. Once the replay has
 * finished, space plays it again (the engine starts over) and there is nothing to step.
 */
export function replayKeyCommand(
  press: KeyPress,
  target: KeyTarget | null,
  state: ReplayState | null,
): ReplayCommand | null {
  if (state === null) return null;
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const tag = target?.tagName.toUpperCase() ?? '';
  if (TYPING_TAGS.has(tag) || target?.isContentEditable) return null;
  if (press.key === ' ' || press.key === 'Spacebar') {
    if (tag === 'BUTTON' || press.repeat) return null;
    return { action: state.playing ? 'pause' : 'play' };
  }
  if (press.key === 'ArrowRight') return state.finished ? null : { action: 'step' };
  return null;
}
