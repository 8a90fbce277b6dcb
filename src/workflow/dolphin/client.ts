/**
 * A small DolphinScheduler REST client: form-encoded bodies, the `token` header, and the
 * {code, msg, data} envelope checked on every answer (DS answers HTTP 200 with an error code inside).
 * Every failure is a one-line QuantflowError naming the call; the token never appears in a message.
 */
import { ExitCode, QuantflowError } from '../../core/errors.js';

export type FormValue = string | number | boolean | undefined | null;
export type Form = Record<string, FormValue>;

/** A DolphinScheduler business error (`code` != 0 in the envelope). */
export class DsApiError extends QuantflowError {
  readonly dsCode: number;
  readonly call: string;
  constructor(call: string, dsCode: number, msg: string) {
    super('DS_API', `${call}: DolphinScheduler error ${dsCode}: ${hint(dsCode, msg)}`, { exitCode: ExitCode.failed });
    this.dsCode = dsCode;
    this.call = call;
  }
}

export const DS_CODES = { PROCESS_DEFINE_NOT_EXIST: 50003, PROCESS_DEFINE_NOT_RELEASE: 50004 } as const;

function hint(code: number, msg: string): string {
  const m = oneLine(msg || 'no message');
  if (code === DS_CODES.PROCESS_DEFINE_NOT_RELEASE) return `${m} (the definition or one of its sub-workflows is not online: push with --release online)`;
  return m;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export interface DsClientOptions {
  /** API base, e.g. http://host:12345/dolphinscheduler */
  url: string;
  token: string;
  timeoutMs?: number;
}

export function encodeForm(form: Form): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (v === undefined || v === null) continue;
    p.append(k, String(v));
  }
  return p.toString();
}

export class DsClient {
  readonly base: string;
  readonly #token: string;
  readonly #timeoutMs: number;

  constructor(opts: DsClientOptions) {
    let base = opts.url.trim().replace(/\/+$/, '');
    if (!/^https?:\/\//i.test(base)) throw new QuantflowError('BAD_INPUT', `--url must start with http:// or https://, got "${opts.url}"`);
    this.base = base;
    if (!opts.token) throw new QuantflowError('BAD_INPUT', 'no DolphinScheduler token: pass --token, set QUANTFLOW_DS_TOKEN or save one with `quantflow ds login`');
    this.#token = opts.token;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
  }

  get(path: string, query?: Form): Promise<unknown> {
    return this.call('GET', path, query);
  }
  post(path: string, form?: Form): Promise<unknown> {
    return this.call('POST', path, form);
  }
  put(path: string, form?: Form): Promise<unknown> {
    return this.call('PUT', path, form);
  }

  /** Returns `data` of a successful envelope; throws a one-line error otherwise. */
  async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: Form = {}): Promise<unknown> {
    const call = `${method} ${path}`;
    const body = encodeForm(params);
    const url = `${this.base}${path}${method === 'GET' || method === 'DELETE' ? (body ? `?${body}` : '') : ''}`;
    const headers: Record<string, string> = { token: this.#token, accept: 'application/json' };
    if (method === 'POST' || method === 'PUT') headers['content-type'] = 'application/x-www-form-urlencoded';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: method === 'POST' || method === 'PUT' ? body : undefined,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = (e as Error).name === 'TimeoutError' ? `no answer in ${this.#timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (e as Error).message);
      throw new QuantflowError('DS_UNREACHABLE', `${call}: cannot reach DolphinScheduler at ${new URL(this.base).origin}: ${why}`, { exitCode: ExitCode.failed });
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403)
      throw new QuantflowError(
        'DS_TOKEN',
        `${call}: DolphinScheduler refused the token (HTTP ${res.status}): it is wrong or expired; create one under Security > Token manage and pass --token or set QUANTFLOW_DS_TOKEN`,
        { exitCode: ExitCode.badInput },
      );
    let env: { code?: unknown; msg?: unknown; data?: unknown } | undefined;
    try {
      env = JSON.parse(text);
    } catch {
      env = undefined;
    }
    if (res.status === 404)
      throw new QuantflowError(
        'DS_NOT_FOUND',
        `${call}: not found (HTTP 404): check that --url is the API base (e.g. http://host:12345/dolphinscheduler) and --ds-version matches the server (3.3 renamed process-* to workflow-*)`,
        { exitCode: ExitCode.failed },
      );
    if (!res.ok) {
      const detail = env && typeof env.msg === 'string' ? env.msg : text.replace(/<[^>]*>/g, ' ');
      throw new QuantflowError('DS_SERVER', `${call}: DolphinScheduler server error (HTTP ${res.status}): ${oneLine(detail).slice(0, 200) || 'no details'}`, { exitCode: ExitCode.failed });
    }
    if (!env || typeof env !== 'object' || typeof env.code !== 'number')
      throw new QuantflowError('DS_PROTOCOL', `${call}: the answer is not DolphinScheduler's {code, msg, data} JSON (is --url the API base, e.g. http://host:12345/dolphinscheduler?)`, { exitCode: ExitCode.failed });
    if (env.code !== 0) throw new DsApiError(call, env.code, typeof env.msg === 'string' ? env.msg : '');
    return env.data;
  }
}

/** Codes are longs; accept numbers or numeric strings. */
export function asCode(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new QuantflowError('DS_PROTOCOL', `DolphinScheduler returned an unusable ${what}: ${JSON.stringify(v)}`, { exitCode: ExitCode.failed });
  return n;
}
