/**
 * PyDolphinScheduler's `${CONFIG.key}` load-time rule (yaml_workflow.py
 * `ParseTool.parse_string_param_if_config`, applied after $FILE and $ENV). It is PyDS's syntax, not
 * DolphinScheduler's (the server has no `${CONFIG}`) and not a quantflow invention, so it reads PyDS's
 * configuration exactly as PyDS does (configuration.py):
 *
 * - `key` is first an attribute of PyDS's `configuration` module (`WORKFLOW_PROJECT`, `USER_TENANT`, ...):
 *   the environment variable `PYDS_<NAME>` if set, else the config value below;
 * - otherwise a dotted path into the config (`default.workflow.project`); a path that does not exist is
 *   an error (PyDS raises PyDSConfException);
 * - the config is `$PYDS_HOME/config.yaml` (default `~/pydolphinscheduler/config.yaml`) when that file
 *   exists, else PyDS's built-in default_config.yaml (copied below).
 *
 * quantflow's own settings (src/core/config.ts) are not involved.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** PyDS 4.x default_config.yaml (the auth token is PyDS's public default). */
const DEFAULT_CONFIG = {
  java_gateway: { auth_token: 'jwUDzpLsNKEFER4*a8gruBH_GsAurNxU7A@Xc', address: '127.0.0.1', port: 25333, auto_convert: true },
  default: {
    user: { name: 'userPythonGateway', password: 'userPythonGateway', email: 'userPythonGateway@dolphinscheduler.com', tenant: 'tenant_pydolphin', phone: 11111111111, state: 1 },
    workflow: {
      project: 'project-pydolphin',
      tenant: 'tenant_pydolphin',
      user: 'userPythonGateway',
      queue: 'queuePythonGateway',
      worker_group: 'default',
      release_state: 'online',
      time_zone: 'Asia/Shanghai',
      warning_type: 'NONE',
      execution_type: 'parallel',
    },
  },
};

/** configuration.py's module attributes: name -> dotted config path (env override `PYDS_<name>`). */
const ATTRIBUTES: Record<string, string> = {
  JAVA_GATEWAY_ADDRESS: 'java_gateway.address',
  JAVA_GATEWAY_PORT: 'java_gateway.port',
  JAVA_GATEWAY_AUTO_CONVERT: 'java_gateway.auto_convert',
  JAVA_GATEWAY_AUTH_TOKEN: 'java_gateway.auth_token',
  USER_NAME: 'default.user.name',
  USER_PASSWORD: 'default.user.password',
  USER_EMAIL: 'default.user.email',
  USER_PHONE: 'default.user.phone',
  USER_STATE: 'default.user.state',
  // 3.1 / 4.0 (removed later with the user's tenant; kept so their YAML still loads)
  USER_TENANT: 'default.user.tenant',
  WORKFLOW_PROJECT: 'default.workflow.project',
  WORKFLOW_TENANT: 'default.workflow.tenant',
  WORKFLOW_USER: 'default.workflow.user',
  WORKFLOW_QUEUE: 'default.workflow.queue',
  WORKFLOW_RELEASE_STATE: 'default.workflow.release_state',
  WORKFLOW_WORKER_GROUP: 'default.workflow.worker_group',
  WORKFLOW_TIME_ZONE: 'default.workflow.time_zone',
  WORKFLOW_WARNING_TYPE: 'default.workflow.warning_type',
  WORKFLOW_EXECUTION_TYPE: 'default.workflow.execution_type',
};

export class PydsConfigError extends Error {}

/** The PyDS config file PyDS would read, or undefined (built-in defaults). */
export function pydsConfigPath(env: NodeJS.ProcessEnv): string | undefined {
  const home = env.PYDS_HOME && env.PYDS_HOME.length > 0 ? env.PYDS_HOME : '~/pydolphinscheduler';
  const userHome = env.HOME && env.HOME.length > 0 ? env.HOME : homedir();
  const dir = home === '~' || home.startsWith('~/') ? join(userHome, home.slice(1)) : resolve(home);
  const file = join(dir, 'config.yaml');
  return existsSync(file) ? file : undefined;
}

const cache = new Map<string, unknown>();

function loadConfig(env: NodeJS.ProcessEnv): { where: string; values: unknown } {
  const file = pydsConfigPath(env);
  if (!file) return { where: "PyDolphinScheduler's default config", values: DEFAULT_CONFIG };
  if (!cache.has(file)) {
    try {
      cache.set(file, parse(readFileSync(file, 'utf8')));
    } catch (e) {
      throw new PydsConfigError(`cannot read the PyDolphinScheduler config ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { where: file, values: cache.get(file) };
}

function at(values: unknown, path: string): unknown {
  let node = values;
  for (const part of path.split('.')) {
    if (node && typeof node === 'object' && !Array.isArray(node) && part in (node as object)) node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

/** The value of `${CONFIG.key}` as PyDS resolves it; throws PydsConfigError when PyDS would raise. */
export function pydsConfigValue(key: string, env: NodeJS.ProcessEnv): string {
  const path = ATTRIBUTES[key];
  if (path !== undefined) {
    const e = env[`PYDS_${key}`];
    if (e !== undefined) return e;
  }
  const { where, values } = loadConfig(env);
  const v = at(values, path ?? key);
  if (v === undefined || v === null) {
    throw new PydsConfigError(`\${CONFIG.${key}}: no such PyDolphinScheduler setting in ${where} (a configuration attribute such as WORKFLOW_PROJECT, or a dotted path such as default.workflow.project)`);
  }
  if (typeof v === 'object') throw new PydsConfigError(`\${CONFIG.${key}}: ${key} is a section of ${where}, not a value`);
  return String(v);
}
