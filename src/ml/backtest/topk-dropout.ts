/**
 * Qlib's TopkDropoutStrategy (method_sell "bottom", method_buy "top", hold_thresh 1), one decision:
 * given the holdings and today's scores, keep at most `topk` names, selling at most `nDrop` a day.
 *
 *   last  = holdings ranked by today's score (names without a score today rank last)
 *   today = the best n_drop + topk - |last| scored names not held
 *   comb  = last ∪ today ranked by score
 *   sell  = the holdings among the bottom n_drop of comb
 *   buy   = today[: |sell| + topk - |last|]
 *
 * As in Qlib, a held name that today's model does not score (here: no signal today) counts as the
 * worst, so it is the first to go. Ties are broken by code so a run is reproducible (pandas'
 * default sort is not stable).
 */
export interface DropoutDecision {
  hold: string[];
  sell: string[];
  buy: string[];
}

export function topkDropoutStep(held: readonly string[], scores: ReadonlyMap<string, number>, topk: number, nDrop: number): DropoutDecision {
  const score = (c: string) => scores.get(c) ?? -Infinity;
  const rank = (a: string, b: string) => {
    const sa = score(a);
    const sb = score(b);
    return sa === sb ? (a < b ? -1 : a > b ? 1 : 0) : sb - sa;
  };
  const heldSet = new Set(held);
  const last = [...held].sort(rank);
  const fresh = [...scores.keys()].filter((c) => !heldSet.has(c)).sort(rank);
  const today = fresh.slice(0, Math.max(0, nDrop + topk - last.length));
  const comb = [...last, ...today].sort(rank);
  const bottom = new Set(nDrop > 0 ? comb.slice(-nDrop) : []);
  const sell = last.filter((c) => bottom.has(c));
  const buy = today.slice(0, Math.max(0, sell.length + topk - last.length));
  const sold = new Set(sell);
  return { hold: [...last.filter((c) => !sold.has(c)), ...buy], sell, buy };
}
