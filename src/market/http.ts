/**
 * JSON over HTTP for the network providers: a request timeout, retries with exponential backoff
 * and jitter on 429 / 5xx / timeouts / connection errors (honouring Retry-After, capped), and
 * one-line errors that name the provider and URL. Bad JSON is not retried: it is reported.
 */
import { QuantflowError, ExitCode } from '../core/errors.js';

export interface HttpOptions {
  /** The provider's name, first word of every error. */
  label: string;
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class HttpError extends QuantflowError {
  /** From a Retry-After header (seconds form). */
  retryAfterMs?: number;
  /** The body of an error response (some APIs explain themselves there). */
  body?: string;
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super('HTTP', message, { exitCode: ExitCode.failed });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Shortens a URL for messages (no query values longer than 40 characters). */
function shortUrl(url: string): string {
  return url.length > 160 ? url.slice(0, 157) + '...' : url;
}

export interface HttpResponse {
  status: number;
  text: string;
  headers: Headers;
}

/** GET with timeout + retries; resolves with the body of a 2xx response. */
export async function httpGet(url: string, opts: HttpOptions): Promise<HttpResponse> {
  const retries = opts.retries ?? 3;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const base = opts.baseDelayMs ?? 300;
  const max = opts.maxDelayMs ?? 8_000;
  let last: HttpError | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      let delay = Math.min(max, base * 2 ** (attempt - 1));
      delay = delay / 2 + Math.random() * (delay / 2); // jitter
      const ra = last?.retryAfterMs;
      if (ra !== undefined) delay = Math.min(max, Math.max(delay, ra));
      await sleep(delay);
    }
    if (opts.signal?.aborted) throw new HttpError(`${opts.label}: interrupted`, undefined, false);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    const onAbort = () => ac.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await fetch(url, { headers: { 'user-agent': 'Mozilla/5.0 (quantflow)', accept: 'application/json,*/*', ...opts.headers }, signal: ac.signal });
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) return { status: res.status, text, headers: res.headers };
      const retryable = res.status === 429 || res.status >= 500;
      const err = new HttpError(`${opts.label}: HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''} from ${shortUrl(url)}`, res.status, retryable);
      err.body = text.slice(0, 2000);
      const raHeader = res.headers.get('retry-after');
      if (raHeader && /^\d+$/.test(raHeader)) err.retryAfterMs = Number(raHeader) * 1000;
      if (!retryable) throw err;
      last = err;
    } catch (e) {
      if (e instanceof HttpError && !e.retryable) throw e;
      if (e instanceof HttpError) {
        last = e;
      } else if (opts.signal?.aborted) {
        throw new HttpError(`${opts.label}: interrupted`, undefined, false);
      } else if (ac.signal.aborted) {
        last = new HttpError(`${opts.label}: no answer within ${timeoutMs} ms from ${shortUrl(url)}`, undefined, true);
      } else {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        last = new HttpError(`${opts.label}: cannot reach ${shortUrl(url)} (${cause?.code ?? cause?.message ?? (e as Error).message})`, undefined, true);
      }
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
  const err = last!;
  throw new HttpError(`${err.message} (after ${retries + 1} attempts)`, err.status, false);
}

/** GET and parse JSON; a body that is not JSON is a clear one-line error. */
export async function getJson<T = unknown>(url: string, opts: HttpOptions): Promise<T> {
  const res = await httpGet(url, opts);
  try {
    return JSON.parse(res.text) as T;
  } catch (e) {
    const snippet = res.text.slice(0, 60).replace(/\s+/g, ' ');
    throw new HttpError(`${opts.label}: bad JSON from ${shortUrl(url)} (${(e as Error).message}; body starts "${snippet}")`, res.status, false);
  }
}
