/**
 * `quantflow gbdt train|predict`: the GBDT on numeric CSVs in the contract of SageMaker's built-in
 * XGBoost (no header, label in column 0, missing empty or nan), so it can be compared side by side
 * with XGBoost on identical files.
 */
import type { Command } from 'commander';
import { action, printJson } from '../action.js';
import { badInput } from '../../core/errors.js';

function num(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw badInput(`${name} expects a number, got "${v}"`);
    return n;
  };
}

const PARAM_OPTIONS: [flag: string, key: string, help: string][] = [
  ['--num-round <n>', 'num_round', 'boosting rounds (500)'],
  ['--max-depth <n>', 'max_depth', 'tree depth (5)'],
  ['--eta <x>', 'eta', 'learning rate (0.2)'],
  ['--gamma <x>', 'gamma', 'minimum loss change of a split (4)'],
  ['--min-child-weight <x>', 'min_child_weight', 'minimum hessian sum of a child (6)'],
  ['--subsample <x>', 'subsample', 'row fraction per tree (0.7)'],
  ['--colsample-bytree <x>', 'colsample_bytree', 'column fraction per tree (1)'],
  ['--lambda <x>', 'lambda', 'L2 regularisation (1)'],
  ['--alpha <x>', 'alpha', 'L1 regularisation (0)'],
  ['--scale-pos-weight <x>', 'scale_pos_weight', 'weight of positive rows (1)'],
  ['--max-bin <n>', 'max_bin', 'bins per feature (256, at most 255 used)'],
  ['--seed <n>', 'seed', 'random seed (0)'],
  ['--early-stopping-rounds <n>', 'early_stopping_rounds', 'stop after n rounds without validation improvement (needs --validation)'],
];

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function register(program: Command): void {
  const gbdt = program.command('gbdt').description('train and apply the XGBoost-compatible GBDT on SageMaker-style CSV files');

  const train = gbdt
    .command('train')
    .description('train binary:logistic on a CSV (no header, label in column 0) and save XGBoost JSON')
    .requiredOption('--train <file>', 'training CSV')
    .option('--validation <file>', 'validation CSV (reports logloss and AUC; needed for early stopping)')
    .requiredOption('--out <file>', 'model JSON to write');
  for (const [flag, key, help] of PARAM_OPTIONS) train.option(flag, help, num(flag.split(' ')[0]!));
  train.option('--json', 'print the result as JSON').action(
    action(async (opts: Record<string, unknown>) => {
      const { readNumericCsv } = await import('../../ml/csv.js');
      const { trainGbdt } = await import('../../ml/gbdt/train.js');
      const { predict } = await import('../../ml/gbdt/model.js');
      const { saveXgboostJson } = await import('../../ml/gbdt/xgboost-json.js');
      const { logloss, auc } = await import('../../ml/metrics.js');
      const { createProgress } = await import('../../core/progress.js');
      const params: Record<string, number> = {};
      for (const [, key] of PARAM_OPTIONS) {
        const v = opts[camel(key)];
        if (v !== undefined) params[key] = v as number;
      }
      const tr = readNumericCsv(String(opts.train), { hasLabel: true });
      const va = opts.validation ? readNumericCsv(String(opts.validation), { hasLabel: true }) : undefined;
      if (va && va.x.ncol !== tr.x.ncol) throw badInput(`${String(opts.validation)} has ${va.x.ncol} feature columns, ${String(opts.train)} has ${tr.x.ncol}`);
      const progress = createProgress('gbdt train');
      progress.total(params.num_round ?? 500);
      const t0 = performance.now();
      const res = trainGbdt(tr.x, tr.label!, params, va ? { x: va.x, y: va.label! } : undefined, { onRound: (r) => progress.set(r) });
      const seconds = (performance.now() - t0) / 1000;
      progress.done();
      saveXgboostJson(res.model, String(opts.out));
      const out: Record<string, unknown> = { rounds: res.rounds, seconds: Number(seconds.toFixed(3)), rows: tr.x.nrow, features: tr.x.ncol, model: String(opts.out) };
      if (res.bestIteration !== undefined) out.bestIteration = res.bestIteration;
      if (va) {
        const p = predict(res.model, va.x);
        out.validation = { logloss: logloss(va.label!, p), auc: auc(va.label!, p) };
      }
      if (opts.json) printJson(out);
      else {
        const v = out.validation as { logloss: number; auc: number } | undefined;
        process.stdout.write(
          `trained ${res.rounds} rounds on ${tr.x.nrow} rows x ${tr.x.ncol} features in ${seconds.toFixed(2)} s -> ${String(opts.out)}\n` +
            (v ? `validation: logloss ${v.logloss.toFixed(6)}, auc ${v.auc.toFixed(6)}\n` : ''),
        );
      }
    }),
  );

  gbdt
    .command('predict')
    .description('one probability per input row, in order')
    .requiredOption('--model <file>', 'XGBoost JSON model (quantflow or Python xgboost)')
    .requiredOption('--data <file>', 'CSV without header')
    .option('--has-label', 'column 0 of the data is a label (skipped)')
    .requiredOption('--out <file>', 'predictions CSV (one value a line)')
    .option('--json', 'print a summary as JSON')
    .action(
      action(async (opts: { model: string; data: string; hasLabel?: boolean; out: string; json?: boolean }) => {
        const { readNumericCsv, writeColumn } = await import('../../ml/csv.js');
        const { loadXgboostJson } = await import('../../ml/gbdt/xgboost-json.js');
        const { predict } = await import('../../ml/gbdt/model.js');
        const model = loadXgboostJson(opts.model);
        const d = readNumericCsv(opts.data, { hasLabel: !!opts.hasLabel });
        if (d.x.ncol !== model.numFeature) {
          const hint = !opts.hasLabel && d.x.ncol === model.numFeature + 1 ? ' (add --has-label if column 0 is a label)' : '';
          throw badInput(`${opts.data} has ${d.x.ncol} feature columns, the model needs ${model.numFeature}${hint}`);
        }
        const p = predict(model, d.x);
        writeColumn(opts.out, p);
        if (opts.json) printJson({ rows: p.length, out: opts.out });
        else process.stdout.write(`${p.length} predictions -> ${opts.out}\n`);
      }),
    );
}
