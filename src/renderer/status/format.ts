/** Number formats for the status bar and legends: short, fixed-width where it matters, human units. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

export function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatRate(perSecond: number): string {
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US')}/s`;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

export function formatVolume(volume: number): string {
  return volume < 10_000
    ? volume.toLocaleString('en-US', { maximumFractionDigits: 2 })
    : compact.format(volume);
}

export function formatPrice(price: number, precision: number): string {
  return price.toLocaleString('en-US', {
    minimumFractionDigits: precision,
    maximumFractionDigits: precision,
  });
}

export function formatSignedPercent(fraction: number): string {
  const percent = fraction * 100;
  return `${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(2)}%`;
}

/** A signed price change in dollars at the symbol's precision: "+1.25", "−0.50" (a true minus sign). */
export function formatSignedPrice(amount: number, precision: number): string {
  // A change that rounds to zero reads "+0.00", never "−0.00".
  const rounded = Number(amount.toFixed(precision));
  return `${rounded >= 0 ? '+' : '−'}${formatPrice(Math.abs(rounded), precision)}`;
}
