import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatBytes,
  formatRate,
  formatSignedPercent,
  formatSignedPrice,
  formatVolume,
} from './format';

describe('status formats', () => {
  it('uses binary units for sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(11 * 1024 * 1024 + 1)).toBe('11 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });

  it('writes ages from milliseconds to hours', () => {
    expect(formatAge(15)).toBe('15 ms');
    expect(formatAge(5_400)).toBe('5.4 s');
    expect(formatAge(42_000)).toBe('42 s');
    expect(formatAge(200_000)).toBe('3 min 20 s');
    expect(formatAge(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
  });

  it('keeps rates, volumes and changes short', () => {
    expect(formatRate(9.96)).toBe('10.0/s');
    expect(formatRate(1234.4)).toBe('1,234/s');
    expect(formatVolume(950)).toBe('950');
    expect(formatVolume(2_140_000)).toBe('2.14M');
    expect(formatSignedPercent(0.0014)).toBe('+0.14%');
    expect(formatSignedPercent(-0.0009)).toBe('−0.09%');
    expect(formatSignedPrice(1.5, 2)).toBe('+1.50');
    expect(formatSignedPrice(-1234.5, 2)).toBe('−1,234.50');
    expect(formatSignedPrice(-0.001, 2)).toBe('+0.00');
  });
});
