/**
 * `quantflow sagemaker ...`: the StockPipeline from the terminal. `pipeline deploy` uploads the
 * generated scripts and creates or updates the pipeline; `pipeline show`, `executions`, `start`
 * (substitutes ${k} like the SageMaker task, waits unless --no-wait; Ctrl-C stops the execution and
 * exits 130), `status` and `stop`. Credentials and region come from the SDK's default chain; nothing
 * secret is printed.
 */
import type { Command } from 'commander';
import { action, collect, intOption, printJson } from '../action.js';
import { badInput, ExitCode } from '../../core/errors.js';

function paramPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const at = p.indexOf('=');
    if (at <= 0) throw badInput(`--param expects k=v, got "${p}"`);
    out[p.slice(0, at).trim()] = p.slice(at + 1);
  }
  return out;
}

function region(opt?: string): string {
  return opt || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
}

export function register(program: Command): void {
  const sm = program.command('sagemaker').description('the SageMaker StockPipeline: deploy, start, follow, stop');
  const pipeline = sm.command('pipeline').description('the pipeline definition quantflow generates');

  pipeline
    .command('deploy')
    .description('upload the processing scripts and create (or update) the pipeline')
    .option('--name <name>', 'pipeline name', 'StockPipeline')
    .requiredOption('--role-arn <arn>', 'the IAM role SageMaker runs the steps as')
    .requiredOption('--bucket <bucket>', 'the S3 bucket for the scripts, the datasets and the output')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the SDK configuration)')
    .option('--instance-type <type>', 'instance type of every step (a pipeline parameter)', 'ml.m5.xlarge')
    .option('--prefix <prefix>', 'key prefix for the scripts and intermediate outputs', 'stock_pipeline')
    .option('--print', 'print the definition JSON instead of deploying it')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (opts) => {
        if (opts.region) process.env.AWS_REGION = opts.region;
        const r = region(opts.region);
        const pOpts = { bucket: opts.bucket, region: r, roleArn: opts.roleArn, instanceType: opts.instanceType, prefix: opts.prefix };
        if (opts.print) {
          const { buildPipelineDefinition } = await import('../../cloud/sagemaker/pipeline-definition.js');
          return printJson(buildPipelineDefinition(pOpts));
        }
        const { deployPipeline } = await import('../../cloud/sagemaker/deploy.js');
        const res = await deployPipeline({ ...pOpts, name: opts.name });
        if (opts.json) return printJson(res);
        process.stdout.write(`${res.action} pipeline ${res.name} (${res.arn}) in ${r}\n`);
        process.stdout.write(`  steps: ${res.steps.join(' -> ')}\n  parameters: ${res.parameters.join(', ')}\n  scripts: ${res.scripts.join(', ')}\n`);
      }),
    );

  pipeline
    .command('show <name>')
    .description('a deployed pipeline: status, parameters, steps')
    .option('--json', 'print as JSON (with the definition)')
    .action(
      action(async (name: string, opts) => {
        const { describePipeline } = await import('../../cloud/sagemaker/deploy.js');
        const p = await describePipeline(name);
        if (opts.json) return printJson(p);
        process.stdout.write(`${p.name} ${p.status ?? ''} ${p.arn ?? ''}\n  created ${p.created ?? '?'}, modified ${p.modified ?? '?'}\n`);
        process.stdout.write(`  parameters:\n${p.parameters.map((x) => `    ${x.name} (${x.type})${x.default !== undefined ? ` = ${String(x.default)}` : ''}`).join('\n')}\n`);
        process.stdout.write(`  steps:\n${p.steps.map((s) => `    ${s.name} (${s.type})`).join('\n')}\n`);
      }),
    );

  sm.command('executions <pipeline>')
    .description('the pipeline executions, newest first')
    .option('--limit <n>', 'at most n', intOption('--limit'), 20)
    .option('--json', 'print as JSON')
    .action(
      action(async (name: string, opts) => {
        const { listExecutions } = await import('../../cloud/sagemaker/executions.js');
        const list = await listExecutions(name, undefined, opts.limit);
        if (opts.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write(`no executions of ${name} yet\n`);
        for (const e of list) process.stdout.write(`${(e.startTime ?? '').padEnd(25)} ${e.status.padEnd(10)} ${e.arn}${e.failureReason ? `  (${e.failureReason})` : ''}\n`);
      }),
    );

  sm.command('start')
    .description('start a pipeline execution from a request JSON (as the SageMaker task does) and follow it')
    .requiredOption('--request <file>', 'StartPipelineExecution request JSON (PascalCase keys), ${k} substituted')
    .option('--param <k=v>', 'a value for ${k} in the request (repeatable)', collect, [])
    .option('--no-wait', 'print the execution ARN and return at once')
    .option('--poll-ms <n>', 'poll interval while Executing (default 5000 or QUANTFLOW_SAGEMAKER_POLL_MS)', intOption('--poll-ms'))
    .option('--json', 'print the final status as JSON')
    .action(
      action(async (opts) => {
        const { readFileSync } = await import('node:fs');
        const { substitute } = await import('../../workflow/params/resolve.js');
        const ex = await import('../../cloud/sagemaker/executions.js');
        let text: string;
        try {
          text = readFileSync(opts.request, 'utf8');
        } catch (e) {
          throw badInput(`cannot read ${opts.request}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        const request = ex.parseStartRequest(substitute(text, paramPairs(opts.param)), (w) => process.stderr.write(`quantflow: warning: ${w}\n`));
        const ref = await ex.startExecution(request);
        if (!opts.wait) {
          if (opts.json) return printJson(ref);
          process.stdout.write(`${ref.arn}\n`);
          return ExitCode.ok;
        }
        process.stderr.write(`started ${ref.arn}\n`);
        const ctl = new AbortController();
        let interrupted = false;
        const onSignal = () => {
          if (interrupted) process.exit(ExitCode.interrupted);
          interrupted = true;
          process.stderr.write('stopping the pipeline execution (Ctrl-C again to leave it running)\n');
          ctl.abort();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const envPoll = Number(process.env.QUANTFLOW_SAGEMAKER_POLL_MS);
        try {
          const r = await ex.trackExecution(ref, {
            pollMs: opts.pollMs ?? (Number.isFinite(envPoll) && envPoll > 0 ? envPoll : 5000),
            signal: ctl.signal,
            log: (line) => process.stderr.write(`${line}\n`),
          });
          if (opts.json) printJson({ arn: ref.arn, status: r.status, failureReason: r.failureReason, steps: r.steps });
          else process.stdout.write(`${ref.arn} ${r.status}${r.failureReason ? `: ${r.failureReason}` : ''}\n`);
          if (interrupted || r.stopped) return ExitCode.interrupted;
          return r.status === 'Succeeded' ? ExitCode.ok : ExitCode.failed;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }),
    );

  const model = sm.command('model').description("the pipeline's trained model");
  model
    .command('import <uri>')
    .description('register model.tar.gz (or xgboost-model / model JSON), local or s3://, in the model registry')
    .option('--id <id>', 'model id (default: sagemaker:<pipeline>:<latest Succeeded execution id>, the id its picks carry)')
    .option('--pipeline <name>', 'the pipeline that trained it', 'StockPipeline')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (uri: string, opts, cmd: Command) => {
        const { resolveDbPath } = await import('../../core/config.js');
        const { sharedDb } = await import('../../core/db.js');
        const { globals } = await import('../action.js');
        const db = sharedDb(resolveDbPath(globals(cmd).db));
        let id: string | undefined = opts.id;
        let origin: Record<string, unknown> = {};
        if (!id) {
          const { listExecutions } = await import('../../cloud/sagemaker/executions.js');
          const ok = (await listExecutions(opts.pipeline)).find((e) => e.status === 'Succeeded');
          if (!ok) throw badInput(`pipeline ${opts.pipeline} has no Succeeded execution; give the model an --id`);
          id = `sagemaker:${opts.pipeline}:${ok.arn.split('/').pop()}`;
          origin = { pipeline: opts.pipeline, executionArn: ok.arn };
        }
        const { importSageMakerModel } = await import('../../cloud/sagemaker/model-artifact.js');
        const r = await importSageMakerModel(db, uri, id, origin);
        if (opts.json) return printJson(r);
        process.stdout.write(`registered ${r.modelId} (${r.trees} trees) from ${uri}\n`);
      }),
    );

  sm.command('status <arn>')
    .description("an execution's status and steps")
    .option('--json', 'print as JSON')
    .action(
      action(async (arn: string, opts) => {
        const ex = await import('../../cloud/sagemaker/executions.js');
        const d = await ex.describeExecution(arn);
        let steps: Awaited<ReturnType<typeof ex.listSteps>> = [];
        let stepsError: string | undefined;
        try {
          steps = await ex.listSteps(arn);
        } catch (e) {
          stepsError = (e as Error).message;
        }
        if (opts.json) return printJson({ arn, ...d, steps, ...(stepsError ? { stepsError } : {}) });
        process.stdout.write(`${arn} ${d.status}${d.failureReason ? `: ${d.failureReason}` : ''}\n`);
        for (const s of steps) process.stdout.write(`  ${s.name.padEnd(16)} ${s.status.padEnd(10)} ${s.startTime ?? ''}${s.endTime ? ` .. ${s.endTime}` : ''}${s.failureReason ? `  ${s.failureReason}` : ''}\n`);
        if (stepsError) process.stderr.write(`quantflow: warning: could not list the steps: ${stepsError}\n`);
      }),
    );

  sm.command('stop <arn>')
    .description('stop an execution (StopPipelineExecution)')
    .action(
      action(async (arn: string) => {
        const ex = await import('../../cloud/sagemaker/executions.js');
        await ex.stopExecution({ arn });
        const d = await ex.describeExecution(arn);
        process.stdout.write(`${arn} ${d.status}\n`);
      }),
    );
}
