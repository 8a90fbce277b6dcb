/**
 * OUT parameters from a task's stdout (TaskOutputParameterParser): `${setValue(key=value)}` or
 * `#{setValue(key=value)}`, possibly spanning up to 1024 lines, ending at `)}`, split on the first `=`.
 */
const START_RE = /[$#]\{setValue\(/;
const MAX_LINES = 1024;

export class OutputParamParser {
  private pending: string | undefined;
  private pendingLines = 0;
  readonly values = new Map<string, string>();

  feed(line: string): void {
    let text = line;
    if (this.pending !== undefined) {
      const end = text.indexOf(')}');
      if (end < 0) {
        this.pending += '\n' + text;
        if (++this.pendingLines >= MAX_LINES) this.pending = undefined;
        return;
      }
      this.take(this.pending + '\n' + text.slice(0, end));
      this.pending = undefined;
      text = text.slice(end + 2);
    }
    for (;;) {
      const m = START_RE.exec(text);
      if (!m) return;
      const rest = text.slice(m.index + m[0].length);
      const end = rest.indexOf(')}');
      if (end < 0) {
        this.pending = rest;
        this.pendingLines = 1;
        return;
      }
      this.take(rest.slice(0, end));
      text = rest.slice(end + 2);
    }
  }

  private take(body: string): void {
    const eq = body.indexOf('=');
    if (eq <= 0) return;
    this.values.set(body.slice(0, eq).trim(), body.slice(eq + 1));
  }
}

/** Keeps only the keys declared as OUT local params (AbstractParameters.dealOutParam). */
export function declaredOutputs(values: ReadonlyMap<string, string>, outProps: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of outProps) {
    const v = values.get(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export interface UpstreamPool {
  endTime: number;
  pool: Readonly<Record<string, string>>;
}

/** Merges upstream varPools: a non-empty value wins over an empty one; ties go to the earliest finished. */
export function mergeVarPools(upstreams: readonly UpstreamPool[]): Record<string, string> {
  const sorted = [...upstreams].sort((a, b) => a.endTime - b.endTime);
  const out: Record<string, string> = {};
  for (const u of sorted) {
    for (const [k, v] of Object.entries(u.pool)) {
      const cur = out[k];
      if (cur === undefined || (cur === '' && v !== '')) out[k] = v;
    }
  }
  return out;
}
