import { describe, expect, it } from 'vitest';
import type { ReplayState } from '../../shared/domain';
import { formatSpeed, replayKey, replaySpeeds } from './replay-commands';

const state = (change: Partial<ReplayState> = {}): ReplayState => ({
  from: Date.UTC(2025, 2, 10, 13, 30),
  to: Date.UTC(2025, 2, 14, 20, 0),
  time: Date.UTC(2025, 2, 12, 15, 0),
  playing: false,
  speed: 60,
  finished: false,
  symbols: ['SPY'],
  granularity: '1m',
  ...change,
});

const body = { tagName: 'BODY' };
const button = { tagName: 'BUTTON' };
const SPACE = { key: ' ' };

describe('replay keyboard shortcuts', () => {
  it('space toggles play and pause, right arrow steps one minute', () => {
    expect(replayKey(SPACE, body, state())).toEqual({ command: { action: 'play' } });
    expect(replayKey(SPACE, body, state({ playing: true }))).toEqual({ command: { action: 'pause' } });
    expect(replayKey({ key: 'ArrowRight' }, body, state())).toEqual({ command: { action: 'step' } });
    expect(replayKey({ key: 'ArrowRight' }, { tagName: 'button' }, state())).toEqual({
      command: { action: 'step' },
    });
  });

  it('space on a focused button (Step, a speed) plays or pauses instead of clicking it; Enter is the button’s', () => {
    expect(replayKey(SPACE, button, state()), 'after clicking Step').toEqual({ command: { action: 'play' } });
    expect(replayKey(SPACE, { tagName: 'button' }, state({ playing: true }))).toEqual({
      command: { action: 'pause' },
    });
    expect(replayKey({ key: 'Enter' }, button, state()), 'Enter clicks the focused button').toBeNull();
    // A held space toggles once, but the key stays the replay's so the button does not click either.
    expect(replayKey({ key: ' ', repeat: true }, button, state())).toEqual({ command: null });
  });

  it('leaves keys alone while focus is in a text field, a list, editable text or an open panel', () => {
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT' },
      { tagName: 'textarea' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
      { tagName: 'BUTTON', inDialog: true },
      { tagName: 'DIV', inDialog: true },
    ]) {
      expect(replayKey(SPACE, target, state()), JSON.stringify(target)).toBeNull();
      expect(replayKey({ key: 'ArrowRight' }, target, state()), JSON.stringify(target)).toBeNull();
    }
  });

  it('on the position slider space plays and pauses, the right arrow moves the slider', () => {
    const slider = { tagName: 'INPUT', type: 'range' };
    expect(replayKey(SPACE, slider, state())).toEqual({ command: { action: 'play' } });
    expect(replayKey({ key: 'ArrowRight' }, slider, state())).toBeNull();
  });

  it('leaves browser shortcuts alone', () => {
    expect(replayKey({ key: 'ArrowRight', altKey: true }, body, state()), 'history back').toBeNull();
    expect(replayKey({ key: 'ArrowRight', metaKey: true }, body, state())).toBeNull();
    expect(replayKey({ key: ' ', ctrlKey: true }, button, state())).toBeNull();
  });

  it('sends nothing before the state is known; once finished, space plays again and nothing steps', () => {
    expect(replayKey(SPACE, body, null)).toBeNull();
    expect(replayKey(SPACE, body, state({ finished: true }))).toEqual({ command: { action: 'play' } });
    expect(replayKey({ key: 'ArrowRight' }, body, state({ finished: true }))).toBeNull();
    expect(replayKey({ key: 'a' }, body, state())).toBeNull();
  });

  it('labels speeds as multiples of real time', () => {
    expect(formatSpeed(600)).toBe('600×');
    expect(formatSpeed('max')).toBe('max');
  });

  it('tells a daily replay’s speeds in sessions (a 6.5-hour session is 23,400 market seconds)', () => {
    expect(replaySpeeds('1D').map((speed) => formatSpeed(speed, '1D'))).toEqual([
      '10 s/session',
      '1 session/s',
      '10 sessions/s',
      'max',
    ]);
    expect(replaySpeeds('1m')).toEqual([1, 10, 60, 600, 'max']);
  });
});
