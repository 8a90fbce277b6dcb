/**
 * Pattern hits (TA-Lib style outputs: +100 bullish, -100 bearish, 0 none, per bar) as chart
 * markers and as a list of the most recent hits. Plain data in, so render/ stays domain-free.
 */
import type { Marker, MarkerKind } from './candles.js';

export interface PatternHit {
  index: number;
  date: number;
  name: string;
  value: number;
}

/** Every hit in [from, to), newest first. */
export function patternHits(patterns: Record<string, ArrayLike<number>>, dates: ArrayLike<number>, from = 0, to = dates.length): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const [name, out] of Object.entries(patterns)) {
    for (let i = Math.max(0, from); i < Math.min(to, out.length); i++) {
      const v = out[i]!;
      if (v !== 0) hits.push({ index: i, date: dates[i]!, name, value: v });
    }
  }
  hits.sort((a, b) => b.index - a.index || a.name.localeCompare(b.name));
  return hits;
}

export function markersFromHits(hits: PatternHit[]): Marker[] {
  const byIndex = new Map<number, MarkerKind>();
  for (const h of hits) {
    const k: MarkerKind = h.value > 0 ? 'bullish' : 'bearish';
    const prev = byIndex.get(h.index);
    byIndex.set(h.index, prev && prev !== k ? 'both' : k);
  }
  return [...byIndex].map(([index, kind]) => ({ index, kind }));
}
