import { describe, expect, it } from 'vitest';
import type { ReplayState } from '../../shared/domain';
import { formatSpeed, replayKeyCommand } from './replay-commands';

const state = (change: Partial<ReplayState> = {}): ReplayState => ({
  from: Date.UTC(2025, 2, 10, 13, 30),
  to: Date.UTC(2025, 2, 14, 20, 0),
  time: Date.UTC(2025, 2, 12, 15, 0),
  playing: false,
  speed: 60,
  finished: false,
  symbols: ['SPY'],
  ...change,
});

const body = { tagName: 'BODY' };

describe('replay keyboard shortcuts', () => {
  it('space toggles play and pause, right arrow steps one bar', () => {
    expect(replayKeyCommand({ key: ' ' }, body, state())).toEqual({ action: 'play' });
    expect(replayKeyCommand({ key: ' ' }, body, state({ playing: true }))).toEqual({ action: 'pause' });
    expect(replayKeyCommand({ key: 'ArrowRight' }, body, state())).toEqual({ action: 'step' });
    expect(replayKeyCommand({ key: 'ArrowRight' }, { tagName: 'button' }, state())).toEqual({
      action: 'step',
    });
  });

  it('leaves keys alone while focus is in an input, a list or editable text', () => {
    for (const tagName of ['INPUT', 'textarea', 'SELECT']) {
      expect(replayKeyCommand({ key: ' ' }, { tagName }, state()), tagName).toBeNull();
      expect(replayKeyCommand({ key: 'ArrowRight' }, { tagName }, state()), tagName).toBeNull();
    }
    expect(replayKeyCommand({ key: ' ' }, { tagName: 'DIV', isContentEditable: true }, state())).toBeNull();
  });

  it('does not double a button click, a held key or a browser shortcut', () => {
    expect(
      replayKeyCommand({ key: ' ' }, { tagName: 'BUTTON' }, state()),
      'the button clicks itself',
    ).toBeNull();
    expect(replayKeyCommand({ key: ' ', repeat: true }, body, state())).toBeNull();
    expect(replayKeyCommand({ key: 'ArrowRight', altKey: true }, body, state()), 'history back').toBeNull();
    expect(replayKeyCommand({ key: 'ArrowRight', metaKey: true }, body, state())).toBeNull();
  });

  it('sends nothing before the state is known; once finished, space plays again and nothing steps', () => {
    expect(replayKeyCommand({ key: ' ' }, body, null)).toBeNull();
    expect(replayKeyCommand({ key: ' ' }, body, state({ finished: true }))).toEqual({ action: 'play' });
    expect(replayKeyCommand({ key: 'ArrowRight' }, body, state({ finished: true }))).toBeNull();
    expect(replayKeyCommand({ key: 'a' }, body, state())).toBeNull();
  });

  it('labels speeds as multiples of real time', () => {
    expect(formatSpeed(600)).toBe('600×');
    expect(formatSpeed('max')).toBe('max');
  });
});
