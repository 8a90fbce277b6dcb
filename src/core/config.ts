/**
 * Configuration precedence: command-line flag > environment (QUANTFLOW_*) > config file
 * ($XDG_CONFIG_HOME/quantflow/config.yaml, else ~/.config/quantflow/config.yaml) > defaults.
 */
import { existsSync, readFileSync, mkdirSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { badInput } from './errors.js';

// The YAML parser is loaded only when a config file exists: every command resolves settings, and
// `quantflow --help` must not pay for a parser it does not use.
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

export type ConfigValues = Record<string, unknown>;

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.length > 0 ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'quantflow', 'config.yaml');
}

let cached: { path: string; values: ConfigValues } | undefined;

export function loadConfigFile(env: NodeJS.ProcessEnv = process.env): ConfigValues {
  const path = configFilePath(env);
  if (cached && cached.path === path) return cached.values;
  let values: ConfigValues = {};
  if (existsSync(path)) {
    try {
      const parsed = yaml().parse(readFileSync(path, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed as ConfigValues;
      else if (parsed != null) throw new Error('the top level must be a mapping');
    } catch (e) {
      throw badInput(`${path}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  cached = { path, values };
  return values;
}

/** Looks up a dotted key (`ds.token`) in the config file. */
function fromFile(key: string, env: NodeJS.ProcessEnv): unknown {
  let node: unknown = loadConfigFile(env);
  for (const part of key.split('.')) {
    if (node && typeof node === 'object' && part in (node as object)) node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

/** `ds.token` -> `QUANTFLOW_DS_TOKEN`. */
export function envName(key: string): string {
  return 'QUANTFLOW_' + key.replace(/[.\-]/g, '_').toUpperCase();
}

/** flag > QUANTFLOW_* > config file > fallback. */
export function setting(key: string, flag: string | undefined, fallback: string, env?: NodeJS.ProcessEnv): string;
export function setting(key: string, flag: string | undefined, fallback?: undefined, env?: NodeJS.ProcessEnv): string | undefined;
export function setting(key: string, flag: string | undefined, fallback?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const e = env[envName(key)];
  if (e !== undefined && e !== '') return e;
  const f = fromFile(key, env);
  if (f !== undefined && f !== null) return String(f);
  return fallback;
}

/** The store: --db PATH, else QUANTFLOW_DB, else db in the config file, else ./data/quantflow.db; always absolute. */
export function resolveDbPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(setting('db', flag, join('data', 'quantflow.db'), env));
}

/** Writes a key into the config file atomically; mode 0600 since it may hold a secret. */
export function writeConfigValue(key: string, value: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const path = configFilePath(env);
  const values = { ...loadConfigFile(env) } as Record<string, unknown>;
  let node = values;
  const parts = key.split('.');
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = node[part] = next && typeof next === 'object' ? { ...(next as object) } : {};
  }
  node[parts[parts.length - 1]!] = value;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, yaml().stringify(values), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  cached = undefined;
  return path;
}

export function resetConfigCache(): void {
  cached = undefined;
}
