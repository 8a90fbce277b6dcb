/**
 * PyDolphinScheduler's load-time macros (spec §1.6): `$FILE{"path"}`, `$ENV{NAME}`, `${CONFIG.key}`
 * (PyDS's configuration, pyds-config.ts), the raw-text `$WORKFLOW{"file.yaml"}` pre-pass and the
 * `TYPE(value)` rule of input/output params. Every other `${...}` and `$[...]` is a DolphinScheduler
 * runtime parameter and is never touched here.
 *
 * Modes: strict (the default) resolves every `$ENV{}` of a string and makes a missing variable or
 * file an error; compat replicates PyDS (only the first `$ENV{}` key of a string is resolved, a
 * missing variable becomes `$NAME` for the shell to expand later). `${CONFIG.key}`: compat replaces the
 * whole string with the first key's value, as PyDS does; strict replaces each token in place. An
 * unknown key is an error in both (PyDS raises).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DATA_TYPES, type DataType } from '../model.js';
import { PydsConfigError, pydsConfigValue } from './pyds-config.js';

export interface MacroContext {
  compat: boolean;
  cwd: string;
  /** Folder of the YAML file being loaded. */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  /** Told when a relative path exists both from the CWD and next to the YAML file (the CWD wins). */
  onShadow?: (message: string) => void;
}

/**
 * PyDS `get_possible_path`: the path relative to the process CWD if it exists, else relative to the
 * YAML file's folder; undefined when neither exists.
 */
export function resolveMacroPath(path: string, ctx: Pick<MacroContext, 'cwd' | 'baseDir' | 'onShadow'>): string | undefined {
  if (isAbsolute(path)) return existsSync(path) ? path : undefined;
  const fromCwd = resolve(ctx.cwd, path);
  if (existsSync(fromCwd)) {
    const other = resolve(ctx.baseDir, path);
    if (other !== fromCwd && existsSync(other)) {
      ctx.onShadow?.(`"${path}" is read from the current folder (${fromCwd}), not from next to the YAML file (${other}), as PyDolphinScheduler does`);
    }
    return fromCwd;
  }
  const fromBase = resolve(ctx.baseDir, path);
  if (existsSync(fromBase)) return fromBase;
  return undefined;
}

export class MacroError extends Error {}

const FILE_RE = /^\$FILE\{"(.*?)"\}/;
const ENV_RE = /\$ENV\{(.*?)\}/g;

/** `$FILE{"path"}` at the start of the string: the whole value becomes the file's content. */
export function expandFile(s: string, ctx: MacroContext): string {
  const m = FILE_RE.exec(s);
  if (!m) return s;
  const found = resolveMacroPath(m[1], ctx);
  if (!found) throw new MacroError(`$FILE{"${m[1]}"}: file not found (looked in ${ctx.cwd} and ${ctx.baseDir})`);
  try {
    return readFileSync(found, 'utf8');
  } catch (e) {
    throw new MacroError(`$FILE{"${m[1]}"}: cannot read ${found}: ${(e as Error).message}`);
  }
}

/** `$ENV{NAME}`: strict resolves every key (missing = error); compat only the first key found. */
export function expandEnv(s: string, ctx: MacroContext): string {
  if (!s.includes('$ENV{')) return s;
  if (ctx.compat) {
    ENV_RE.lastIndex = 0;
    const m = ENV_RE.exec(s);
    if (!m) return s;
    const name = m[1];
    const value = ctx.env[name];
    return s.split(`$ENV{${name}}`).join(value ?? `$${name}`);
  }
  const missing: string[] = [];
  const out = s.replace(ENV_RE, (token, name: string) => {
    const value = ctx.env[name];
    if (value === undefined) {
      missing.push(name);
      return token;
    }
    return value;
  });
  if (missing.length > 0) {
    const list = [...new Set(missing)];
    throw new MacroError(
      `environment variable${list.length > 1 ? 's' : ''} ${list.map((n) => `$ENV{${n}}`).join(', ')} not set (use --compat to leave it as $${list[0]})`,
    );
  }
  return out;
}

const CONFIG_RE = /\$\{CONFIG\.(.*?)\}/g;

/** `${CONFIG.key}` (PyDS parse_string_param_if_config). */
export function expandConfig(s: string, ctx: MacroContext): string {
  if (!s.includes('${CONFIG')) return s;
  const value = (key: string): string => {
    try {
      return pydsConfigValue(key, ctx.env);
    } catch (e) {
      if (e instanceof PydsConfigError) throw new MacroError(e.message);
      throw e;
    }
  };
  CONFIG_RE.lastIndex = 0;
  const first = CONFIG_RE.exec(s);
  if (!first) throw new MacroError(`"\${CONFIG" without a key: write \${CONFIG.WORKFLOW_PROJECT} or \${CONFIG.default.workflow.project}`);
  if (ctx.compat) return value(first[1]);
  return s.replace(CONFIG_RE, (_t, key: string) => value(key));
}

/** `$FILE`, `$ENV` then `${CONFIG.key}`, as PyDS applies its parse rules (each sees the previous output). */
export function expandString(s: string, ctx: MacroContext): string {
  return expandConfig(expandEnv(expandFile(s, ctx), ctx), ctx);
}

/**
 * PyDS 4.x `TYPE(value)` rule for input/output params: `FILE(text.txt)`, `VARCHAR()`. Returns
 * undefined when the string has no `(...)`; throws for an unknown TYPE (PyDS fails with KeyError).
 */
export function parseTypedValue(s: string): { type: DataType; value: string } | undefined {
  const m = /^(.*?)\((.*?)\)/.exec(s);
  if (!m) return undefined;
  const type = m[1] as DataType;
  if (!(DATA_TYPES as readonly string[]).includes(type)) {
    throw new MacroError(`"${s}" reads as TYPE(value) but ${m[1] || '(empty)'} is not a parameter type (${DATA_TYPES.join(', ')})`);
  }
  return { type, value: m[2] };
}

export interface WorkflowToken {
  /** Offset of `$WORKFLOW{` in the raw text. */
  start: number;
  end: number;
  path: string;
}

/** Every `$WORKFLOW{"file"}` token of the raw text, comments included (PyDS's regex pre-pass). */
export function findWorkflowTokens(text: string): WorkflowToken[] {
  const re = /\$WORKFLOW\{"(.*?)"\}/g;
  const out: WorkflowToken[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push({ start: m.index, end: m.index + m[0].length, path: m[1] });
  return out;
}

/**
 * Replaces tokens in `text`; returns the new text and a function mapping an offset in it back to the
 * original text (an offset inside a replacement maps to the token's start).
 */
export function replaceTokens(text: string, tokens: WorkflowToken[], replacement: (t: WorkflowToken) => string): { text: string; toOriginal: (o: number) => number } {
  const parts: string[] = [];
  const segs: { newStart: number; newEnd: number; oldStart: number; oldEnd: number }[] = [];
  let last = 0;
  let newPos = 0;
  for (const t of tokens) {
    parts.push(text.slice(last, t.start));
    newPos += t.start - last;
    const r = replacement(t);
    parts.push(r);
    segs.push({ newStart: newPos, newEnd: newPos + r.length, oldStart: t.start, oldEnd: t.end });
    newPos += r.length;
    last = t.end;
  }
  parts.push(text.slice(last));
  const toOriginal = (o: number): number => {
    let delta = 0;
    for (const s of segs) {
      if (o < s.newStart) break;
      if (o < s.newEnd) return s.oldStart;
      delta = s.oldEnd - s.newEnd;
    }
    return o + delta;
  };
  return { text: parts.join(''), toOriginal };
}
