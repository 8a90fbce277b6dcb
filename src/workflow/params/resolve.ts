/**
 * DolphinScheduler's parameter map for a task (CuringParamsServiceImpl.paramParsingPreparation):
 * layers, later wins: built-ins -> global -> upstream varPool -> local IN -> startup. Any value
 * containing `${` is then resolved against the map (chained refs work); a value that refers to its
 * own name (`project: ${project}` as a local param over a global `project`) takes the value of the
 * layer below, not a cycle. Unresolvable `${x}` stays literal. `$[...]` is evaluated afterwards.
 */
import { replaceTimeExpressions } from './time-expr.js';

export type ParamLayer = Readonly<Record<string, string>>;

const REF_RE = /\$\{([^{}$]+)\}/g;

/** Resolves the layers into one flat map of final values. */
export function buildParamMap(layers: readonly ParamLayer[], base?: Date): Record<string, string> {
  const keys = new Set<string>();
  for (const l of layers) for (const k of Object.keys(l)) keys.add(k);
  const memo = new Map<string, string>();
  const active = new Set<string>();

  const topLayer = (key: string, below: number): number => {
    for (let i = below - 1; i >= 0; i--) if (Object.prototype.hasOwnProperty.call(layers[i], key)) return i;
    return -1;
  };

  const resolveAt = (key: string, idx: number): string | undefined => {
    const id = `${idx}\u0000${key}`;
    const hit = memo.get(id);
    if (hit !== undefined) return hit;
    if (active.has(id)) return undefined; // a real cycle: leave the reference literal
    active.add(id);
    const raw = layers[idx]![key]!;
    const value = raw.includes('${')
      ? raw.replace(REF_RE, (whole, name: string) => {
          const ref = name.trim();
          const at = ref === key ? topLayer(ref, idx) : topLayer(ref, layers.length);
          if (at < 0) return whole;
          return resolveAt(ref, at) ?? whole;
        })
      : raw;
    active.delete(id);
    memo.set(id, value);
    return value;
  };

  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = resolveAt(k, topLayer(k, layers.length))!;
    let final = v;
    if (base && v.includes('$[')) {
      try {
        final = replaceTimeExpressions(v, base);
      } catch {
        final = v; // reported when the value is used in a script
      }
    }
    out[k] = final;
  }
  return out;
}

/** Replaces `${name}` with the map's value; unknown names stay literal. */
export function substitute(text: string, map: Readonly<Record<string, string>>): string {
  if (!text.includes('${')) return text;
  return text.replace(REF_RE, (whole, name: string) => {
    const v = map[name.trim()];
    return v === undefined ? whole : v;
  });
}

/** `${...}` then `$[...]`: the text a task finally runs. Throws on a bad time expression. */
export function resolveText(text: string, map: Readonly<Record<string, string>>, base: Date): string {
  return replaceTimeExpressions(substitute(text, map), base);
}
