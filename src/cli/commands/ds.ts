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

function registerRemote(ds: Command): void {
  void ds;
}
