/**
 * The shape of a trading session: how volatility, volume and trade counts move from the open to the
 * close, and the extremes of a price path between two known end points.
 *
 * Fitted to the mean per-minute profile of SPY, QQQ, NVDA, XLF and XLK regular sessions (the last 80
 * complete sessions of each in ../shared/data/intraday), as functions of u, the fraction of the session
 * elapsed, so early closes and longer sessions keep the same shape:
 *   return sd  ~ 0.73 + 1.33 e^(-u/0.14) + 0.25 e^(-(1-u)/0.03), first minute x1.6
 *   volume     ~ 0.70 + 1.57 e^(-u/0.12) + 4.61 e^(-(1-u)/0.02), first minute x2, last minute x2.3
 * Measured per half hour, volume runs 1.9 at the open, 0.64 at lunch and 2.1 in the last half hour
 * (the last minute alone ~12, the closing auction); return sd 1.75 at the open, 0.73 at lunch, 0.78 at
 * the close (the close term here is a little stronger than measured, 0.25 instead of 0.17).
 */

export interface IntradayProfile {
  readonly minutes: number;
  /** Weight of each minute's return standard deviation; the squares sum to 1 over the session. */
  readonly sd: Float64Array;
  /** Volume multiplier of each minute; the mean over the session is 1. */
  readonly volume: Float64Array;
  /** Trade-count multiplier of each minute (volume's shape, flattened). */
  readonly trades: Float64Array;
}

function sdShape(u: number): number {
  return 0.73 + 1.33 * Math.exp(-u / 0.14) + 0.25 * Math.exp(-(1 - u) / 0.03);
}

function volumeShape(u: number): number {
  return 0.7 + 1.57 * Math.exp(-u / 0.12) + 4.61 * Math.exp(-(1 - u) / 0.02);
}

export function intradayProfile(minutes: number): IntradayProfile {
  if (!Number.isInteger(minutes) || minutes < 1)
    throw new RangeError(`a session needs at least one minute, got ${minutes}`);
  const sd = new Float64Array(minutes);
  const volume = new Float64Array(minutes);
  const trades = new Float64Array(minutes);
  let sdSquares = 0;
  let volumeSum = 0;
  for (let m = 0; m < minutes; m++) {
    const u = (m + 0.5) / minutes;
    let s = sdShape(u);
    let v = volumeShape(u);
    if (m === 0) {
      s *= 1.6;
      v *= 2;
    }
    if (m === minutes - 1) v *= 2.3;
    sd[m] = s;
    volume[m] = v;
    sdSquares += s * s;
    volumeSum += v;
  }
  const sdNorm = 1 / Math.sqrt(sdSquares);
  const volumeNorm = minutes / volumeSum;
  for (let m = 0; m < minutes; m++) {
    sd[m] = sd[m]! * sdNorm;
    const v = volume[m]! * volumeNorm;
    volume[m] = v;
    // More volume arrives both as more trades and as larger ones: the count follows volume^0.4.
    trades[m] = Math.pow(v, 0.4);
  }
  return { minutes, sd, volume, trades };
}

/**
 * Highest point (log, relative to the start) of a Brownian bridge that ends at `end` with total
 * variance `variance`, by inverting P(max > m) = exp(-2 m (m - end) / variance); `u` in (0, 1].
 * Always >= max(0, end).
 */
export function bridgeMax(end: number, variance: number, u: number): number {
  return 0.5 * (end + Math.sqrt(end * end - 2 * variance * Math.log(u)));
}

/** Lowest point of the same bridge (by symmetry); always <= min(0, end). */
export function bridgeMin(end: number, variance: number, u: number): number {
  return 0.5 * (end - Math.sqrt(end * end - 2 * variance * Math.log(u)));
}
