/**
 * `quantflow ds ...`: export workflows to Apache DolphinScheduler and push/run them over its REST API.
 * The token (--token, QUANTFLOW_DS_TOKEN or ds.token in the config file) is never printed.
 */
import type { Command } from 'commander';
import { action, printJson } from '../action.js';
import { badInput } from '../../core/errors.js';

function datasourceOption(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw badInput(`--sagemaker-datasource expects a datasource id (a positive whole number), got "${v}"`);
  return n;
}

export function register(program: Command): void {
  const ds = program.command('ds').description('export workflows to Apache DolphinScheduler, push and run them there');

  ds.command('export')
    .description('print (or write) the DolphinScheduler definition forms of a workflow and its children')
    .argument('<file>', 'workflow YAML file')
    .option('--ds-version <v>', 'target DolphinScheduler version: 3.1, 3.2 or 3.3', '3.2')
    .option('--tenant <code>', 'tenantCode for DolphinScheduler 3.1 definitions')
    .option('--sagemaker-datasource <id>', 'SAGEMAKER datasource id for SageMaker tasks (3.2+)', datasourceOption)
    .option('--project <name>', 'project name (default: the workflow\'s project)')
    .option('--out <dir>', 'write <workflow name>.json per workflow into DIR')
    .option('--json', 'print {"workflows":[{name, code, form}]} on stdout')
    .action(
      action(async (file: string, opts: { dsVersion?: string; tenant?: string; sagemakerDatasource?: number; project?: string; out?: string; json?: boolean }) => {
        const { parseDsVersion } = await import('../../workflow/dolphin/versions.js');
        const { exportBundle, exportJson, formatWarning } = await import('../../workflow/dolphin/export.js');
        const { loadBundle } = await import('../../workflow/dolphin/load-bundle.js');
        const version = parseDsVersion(opts.dsVersion);
        const bundle = await loadBundle(file);
        const r = exportBundle(bundle, { version, tenant: opts.tenant, sagemakerDatasource: opts.sagemakerDatasource, project: opts.project });
        for (const w of r.warnings) process.stderr.write(formatWarning(w) + '\n');
        if (opts.out) {
          const { writeExport } = await import('../../workflow/dolphin/write-out.js');
          const paths = writeExport(r, opts.out);
          if (!opts.json) for (const p of paths) process.stdout.write(`wrote ${p}\n`);
        }
        if (opts.json) printJson(exportJson(r));
        else if (!opts.out) {
          for (const w of r.workflows) {
            process.stdout.write(`# ${w.name} (code ${w.code}, DolphinScheduler ${version})\n`);
            for (const [k, v] of Object.entries(w.form)) process.stdout.write(`${k}=${v}\n`);
            process.stdout.write('\n');
          }
        }
      }),
    );

  registerRemote(ds);
}

interface RemoteOpts {
  url?: string;
  token?: string;
  project?: string;
  dsVersion?: string;
  json?: boolean;
}

async function connect(opts: RemoteOpts) {
  const { setting } = await import('../../core/config.js');
  const { DsClient } = await import('../../workflow/dolphin/client.js');
  const { parseDsVersion, dialectOf } = await import('../../workflow/dolphin/versions.js');
  const url = setting('ds.url', opts.url);
  if (!url) throw badInput('no DolphinScheduler URL: pass --url (e.g. http://host:12345/dolphinscheduler), set QUANTFLOW_DS_URL or save one with `quantflow ds login`');
  const token = setting('ds.token', opts.token);
  if (!token) throw badInput('no DolphinScheduler token: pass --token, set QUANTFLOW_DS_TOKEN or save one with `quantflow ds login`');
  const version = parseDsVersion(setting('ds.version', opts.dsVersion));
  return { client: new DsClient({ url, token }), version, dialect: dialectOf(version), url };
}

function remoteOptions(c: Command): Command {
  return c
    .option('--url <url>', 'DolphinScheduler API base, e.g. http://host:12345/dolphinscheduler (else QUANTFLOW_DS_URL or ds.url in the config file)')
    .option('--token <token>', 'access token (else QUANTFLOW_DS_TOKEN or ds.token in the config file); never printed')
    .option('--ds-version <v>', 'server version: 3.1, 3.2 or 3.3 (default 3.2; DolphinScheduler has no endpoint that reports it)');
}

function registerRemote(ds: Command): void {
  remoteOptions(ds.command('push'))
    .description('create or update the workflow and its children on DolphinScheduler (children first), optionally run it')
    .argument('<file>', 'workflow YAML file')
    .option('--project <name>', "project name (default: the workflow's project; created when missing)")
    .option('--release <state>', 'online or offline (default: each workflow\'s release_state)')
    .option('--tenant <code>', 'tenant (3.1 definitions; 3.2+ runs and schedules; default "default")')
    .option('--sagemaker-datasource <id>', 'SAGEMAKER datasource id (3.2+; looked up when the server has exactly one)', datasourceOption)
    .option('--run', 'start an instance of the root workflow after pushing')
    .option('--follow', 'with --run: stream task states and logs until the instance finishes')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (file: string, opts: RemoteOpts & { release?: string; tenant?: string; sagemakerDatasource?: number; run?: boolean; follow?: boolean }) => {
        if (opts.release !== undefined && opts.release !== 'online' && opts.release !== 'offline') throw badInput(`--release must be online or offline, got "${opts.release}"`);
        if (opts.run && opts.release === 'offline') throw badInput('--run needs the definition online: drop --release offline');
        if (opts.follow && !opts.run) throw badInput('--follow goes with --run');
        const { client, version, dialect } = await connect(opts);
        const { loadBundle } = await import('../../workflow/dolphin/load-bundle.js');
        const { pushBundle } = await import('../../workflow/dolphin/push.js');
        const { formatWarning } = await import('../../workflow/dolphin/export.js');
        const bundle = await loadBundle(file);
        const say = (line: string) => {
          if (!opts.json) process.stdout.write(line + '\n');
        };
        const r = await pushBundle(client, bundle, {
          version,
          project: opts.project,
          release: opts.release as 'online' | 'offline' | undefined,
          tenant: opts.tenant,
          sagemakerDatasource: opts.sagemakerDatasource,
          log: say,
        });
        for (const w of r.warnings) process.stderr.write(formatWarning(w) + '\n');
        const doc: Record<string, unknown> = {
          version,
          project: r.project,
          workflows: r.workflows.map(({ def: _d, ...w }) => w),
        };
        let exit = 0;
        if (opts.run) {
          const { startInstance, followInstance, formatStatus } = await import('../../workflow/dolphin/run.js');
          const root = r.workflows[r.workflows.length - 1]!;
          if (root.releaseState !== 'ONLINE') throw badInput(`--run: ${root.name} is offline (release_state offline): push with --release online`);
          const id = await startInstance(client, dialect, r.project.code, { code: root.code, version: root.version, wf: root.def }, { tenant: opts.tenant });
          say(`started ${root.name}: instance ${id}`);
          doc.instance = { id };
          if (opts.follow) {
            const st = await followInstance(client, dialect, r.project.code, id, say);
            for (const l of formatStatus(st)) say(l);
            doc.instance = st;
            exit = st.state === 'SUCCESS' ? 0 : 1;
          }
        }
        if (opts.json) printJson(doc);
        return exit;
      }),
    );

  remoteOptions(ds.command('status'))
    .description('the state of a DolphinScheduler workflow instance and its tasks')
    .argument('<run>', 'workflow instance id')
    .option('--project <name>', 'project name (else QUANTFLOW_DS_PROJECT or ds.project in the config file)')
    .option('--follow', 'keep polling until the instance finishes, streaming logs')
    .option('--json', 'print the status as JSON')
    .action(
      action(async (run: string, opts: RemoteOpts & { follow?: boolean }) => {
        const id = Number(run);
        if (!Number.isSafeInteger(id) || id <= 0) throw badInput(`RUN must be a workflow instance id, got "${run}"`);
        const { setting } = await import('../../core/config.js');
        const project = setting('ds.project', opts.project);
        if (!project) throw badInput('--project NAME is required');
        const { client, dialect } = await connect(opts);
        const { findProject } = await import('../../workflow/dolphin/push.js');
        const { instanceStatus, followInstance, formatStatus } = await import('../../workflow/dolphin/run.js');
        const pc = await findProject(client, project);
        if (pc === undefined) throw badInput(`GET /projects/list: project ${project} does not exist on the server`);
        const say = (l: string) => {
          if (!opts.json) process.stdout.write(l + '\n');
        };
        const st = opts.follow ? await followInstance(client, dialect, pc, id, say) : await instanceStatus(client, dialect, pc, id);
        if (opts.json) printJson(st);
        else for (const l of formatStatus(st)) say(l);
        return 0;
      }),
    );

  ds.command('login')
    .description('check a DolphinScheduler URL and token and save them to the config file (mode 0600)')
    .requiredOption('--url <url>', 'DolphinScheduler API base, e.g. http://host:12345/dolphinscheduler')
    .option('--token <token>', 'access token (else QUANTFLOW_DS_TOKEN)')
    .option('--ds-version <v>', 'server version to remember: 3.1, 3.2 or 3.3')
    .action(
      action(async (opts: RemoteOpts) => {
        const { client } = await connect(opts);
        await client.get('/projects/list');
        const { writeConfigValue, setting } = await import('../../core/config.js');
        writeConfigValue('ds.url', client.base);
        const path = writeConfigValue('ds.token', setting('ds.token', opts.token));
        if (opts.dsVersion) writeConfigValue('ds.version', opts.dsVersion);
        process.stdout.write(`token accepted by ${new URL(client.base).origin}; saved to ${path} (mode 0600)\n`);
      }),
    );
}
