/**
 * Which signals and features to compute. Two equivalent forms:
 *
 * The original's text format (workflows/feature_signal.txt), one entry a line, `#` comments:
 *   signal: ma_cross                 # options as key=value: fast=5 slow=10 (ma_up also max_change=0.09)
 *   feature: ma | bbands | talib_pattern | kbar
 *   feature: indicator rsi 14        # any tulind indicator and its options, one line each
 *
 * YAML (workflows/feature_signal.yaml):
 *   signals: [ma_cross, {name: ma_up, fast: 5, slow: 10, max_change: 0.09}]
 *   features:
 *     - ma
 *     - {indicator: macd, options: [12, 26, 9]}
 *
 * Errors are QuantflowErrors (exit 2) pointing at `path:line:col`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWorkflowsDir } from '../core/paths.js';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { badInput, type SourceLocation } from '../core/errors.js';
import type { IndicatorEntry } from './features/indicator.js';
import { indicatorColumns } from './indicators/tulind.js';

export const SIGNAL_NAMES = ['ma_cross', 'ma_up'] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];
export const FEATURE_NAMES = ['ma', 'bbands', 'talib_pattern', 'kbar', 'indicator'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export interface SignalEntry {
  name: SignalName;
  fast: number;
  slow: number;
  maxChange: number;
}

export interface AnalysisConfig {
  signals: SignalEntry[];
  /** Feature sets in order of first mention; `indicator` once, with every indicator entry. */
  features: FeatureName[];
  indicators: IndicatorEntry[];
  source?: string;
}

export const DEFAULT_CONFIG_PATH = 'workflows/feature_signal.txt';

type Where = (col?: number) => SourceLocation | undefined;

function addSignal(cfg: AnalysisConfig, name: string, opts: Record<string, string | number>, where: Where): void {
  if (!(SIGNAL_NAMES as readonly string[]).includes(name)) throw badInput(`unknown signal "${name}" (known: ${SIGNAL_NAMES.join(', ')})`, where());
  const num = (key: string, dflt: number, int: boolean): number => {
    const raw = opts[key];
    if (raw === undefined) return dflt;
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0 || (int && !Number.isInteger(v))) throw badInput(`signal ${name}: ${key} must be a positive ${int ? 'whole ' : ''}number, got "${raw}"`, where());
    return v;
  };
  for (const k of Object.keys(opts)) {
    if (!['fast', 'slow', 'max_change'].includes(k) || (k === 'max_change' && name !== 'ma_up')) throw badInput(`signal ${name}: unknown option "${k}"`, where());
  }
  const e: SignalEntry = { name: name as SignalName, fast: num('fast', 5, true), slow: num('slow', 10, true), maxChange: num('max_change', 0.09, false) };
  if (e.fast >= e.slow) throw badInput(`signal ${name}: fast (${e.fast}) must be shorter than slow (${e.slow})`, where());
  if (cfg.signals.some((s) => s.name === e.name)) throw badInput(`signal ${name} is listed twice`, where());
  cfg.signals.push(e);
}

function addFeature(cfg: AnalysisConfig, name: string, where: Where): void {
  if (!(FEATURE_NAMES as readonly string[]).includes(name)) throw badInput(`unknown feature "${name}" (known: ${FEATURE_NAMES.join(', ')})`, where());
  if (!cfg.features.includes(name as FeatureName)) cfg.features.push(name as FeatureName);
}

function addIndicator(cfg: AnalysisConfig, indicator: string, options: number[], where: Where): void {
  try {
    indicatorColumns(indicator, options);
  } catch (e) {
    throw badInput((e as Error).message, where());
  }
  addFeature(cfg, 'indicator', where);
  if (!cfg.indicators.some((x) => x.indicator === indicator.toLowerCase() && x.options.join() === options.join())) {
    cfg.indicators.push({ indicator: indicator.toLowerCase(), options });
  }
}

/** Parses the original's `feature: x` / `signal: y` text format. */
export function parseConfigText(text: string, file = '<config>'): AnalysisConfig {
  const cfg: AnalysisConfig = { signals: [], features: [], indicators: [], source: file };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = raw.replace(/#.*$/, '');
    if (line.trim() === '') return;
    const lead = line.length - line.trimStart().length;
    const where: Where = (col) => ({ file, line: idx + 1, col: (col ?? lead) + 1 });
    const m = /^\s*(feature|signal)\s*:\s*(\S+)\s*(.*)$/.exec(line);
    if (!m) throw badInput('expected "feature: NAME" or "signal: NAME"', where());
    const [, kind, name, rest] = m as unknown as [string, string, string, string];
    const args = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
    const nameCol = line.indexOf(name, line.indexOf(':'));
    if (kind === 'signal') {
      const opts: Record<string, string> = {};
      for (const a of args) {
        const kv = /^([a-z_]+)=(.+)$/.exec(a);
        if (!kv) throw badInput(`signal options are key=value, got "${a}"`, where(line.indexOf(a, nameCol)));
        opts[kv[1]!] = kv[2]!;
      }
      addSignal(cfg, name, opts, () => where(nameCol));
    } else if (name === 'indicator') {
      const [ind, ...nums] = args;
      if (!ind) throw badInput('feature: indicator needs a tulind indicator name, e.g. "feature: indicator rsi 14"', where(nameCol));
      const options = nums.map((x) => {
        const v = Number(x);
        if (!Number.isFinite(v)) throw badInput(`indicator option "${x}" is not a number`, where(line.indexOf(x, nameCol + name.length)));
        return v;
      });
      addIndicator(cfg, ind, options, () => where(line.indexOf(ind, nameCol + name.length)));
    } else {
      if (args.length > 0) throw badInput(`feature ${name} takes no options`, where(line.indexOf(args[0]!, nameCol + name.length)));
      addFeature(cfg, name, () => where(nameCol));
    }
  });
  return cfg;
}

/** Parses the YAML form. */
export function parseConfigYaml(text: string, file = '<config>'): AnalysisConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const at = (node: Node | null | undefined): Where => () => {
    const off = node?.range?.[0] ?? 0;
    const p = lc.linePos(off);
    return { file, line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = lc.linePos(e.pos[0]);
    throw badInput(e.message.split('\n')[0]!, { file, line: p.line, col: p.col });
  }
  const cfg: AnalysisConfig = { signals: [], features: [], indicators: [], source: file };
  const root = doc.contents;
  if (!isMap(root)) throw badInput('expected a mapping with "signals" and/or "features"', at(root as Node)());
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const seq = pair.value as Node | null;
    if (key !== 'signals' && key !== 'features') throw badInput(`unknown key "${key}" (expected signals, features)`, at(pair.key as Node)());
    if (!isSeq(seq)) throw badInput(`${key} must be a list`, at(seq)());
    for (const item of seq.items as Node[]) {
      if (isScalar(item)) {
        if (key === 'signals') addSignal(cfg, String(item.value), {}, at(item));
        else if (String(item.value) === 'indicator') throw badInput('an indicator entry is {indicator: NAME, options: [...]}', at(item)());
        else addFeature(cfg, String(item.value), at(item));
      } else if (isMap(item)) {
        const obj = (item.toJSON() ?? {}) as Record<string, unknown>;
        if (key === 'signals') {
          const { name, ...opts } = obj;
          if (typeof name !== 'string') throw badInput('a signal entry needs a name', at(item)());
          addSignal(cfg, name, opts as Record<string, string | number>, at(item));
        } else if (typeof obj.indicator === 'string') {
          const opts = obj.options ?? [];
          if (!Array.isArray(opts) || opts.some((o) => typeof o !== 'number')) throw badInput('indicator options must be a list of numbers', at(item)());
          addIndicator(cfg, obj.indicator, opts as number[], at(item));
        } else if (typeof obj.name === 'string' && Object.keys(obj).length === 1) {
          addFeature(cfg, obj.name, at(item));
        } else throw badInput('a feature entry is a name or {indicator: NAME, options: [...]}', at(item)());
      } else throw badInput(`unexpected ${key} entry`, at(item)());
    }
  }
  return cfg;
}

/**
 * Loads a config file: YAML when it ends in .yaml/.yml, else the text format. Without a path, the
 * default workflows/feature_signal.txt is looked up in the working folder, then in quantflow's own
 * workflows/ (so every command works from any folder).
 */
export function loadAnalysisConfig(file?: string): AnalysisConfig {
  const path = file ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : join(defaultWorkflowsDir, 'feature_signal.txt'));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw badInput(`cannot read the feature/signal config ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return /\.ya?ml$/i.test(path) ? parseConfigYaml(text, path) : parseConfigText(text, path);
}
