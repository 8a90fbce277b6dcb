/**
 * The research chain after the features: datasets, training, evaluation, the model registry,
 * recommendations and picks. Thin: each action opens the store, calls src/ml, prints.
 */
import type { Command } from 'commander';
import { action, collect, globals, intOption, printJson } from '../action.js';
import { badInput } from '../../core/errors.js';

async function store(cmd: Command) {
  const { resolveDbPath } = await import('../../core/config.js');
  const { sharedDb } = await import('../../core/db.js');
  const dbPath = resolveDbPath(globals(cmd).db);
  return { dbPath, db: sharedDb(dbPath) };
}

function labelOption(v: string): 'next_close' | 'qlib' {
  if (v !== 'next_close' && v !== 'qlib') throw badInput(`--label expects next_close or qlib, got "${v}"`);
  return v;
}

function fmt(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

function parseDate(v: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) throw badInput(`expected a date YYYY-MM-DD, got "${v}"`);
  return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
}

function printMetrics(m: Record<string, number | null>): void {
  const line = (k: string, label: string) => `  ${label.padEnd(28)} ${fmt(m[k])}`;
  const rows = [
    line('auc', 'AUC'),
    line('logloss', 'logloss'),
    line('precision', 'precision (class 1 @ 0.5)'),
    line('recall', 'recall'),
    line('f1', 'f1'),
    `  ${'support'.padEnd(28)} ${m.support ?? '-'}`,
    `  ${`odds top ${m.top_n ?? 2}/day vs all`.padEnd(28)} ${fmt(m.odds)} vs ${fmt(m.odds_base)}`,
    `  ${'pcr  top vs all'.padEnd(28)} ${fmt(m.pcr)} vs ${fmt(m.pcr_base)}`,
    line('ic', 'IC (daily, mean)'),
    line('rank_ic', 'Rank IC'),
    line('icir', 'ICIR'),
    line('rank_icir', 'Rank ICIR'),
  ];
  process.stdout.write(rows.join('\n') + '\n');
}

async function recommendFromSageMaker(db: import('../../core/db.js').Db, opts: { from: string; top: number; pipeline: string; json?: boolean }): Promise<void> {
  const { isS3Uri } = await import('../../cloud/s3.js');
  if (!isS3Uri(opts.from)) throw badInput(`--from expects an s3:// URI, got "${opts.from}"`);
  const { picksFromSageMaker } = await import('../../cloud/sagemaker/inference-output.js');
  const r = await picksFromSageMaker({ db, from: opts.from, top: opts.top, pipeline: opts.pipeline });
  if (opts.json) return printJson(r);
  process.stdout.write(`picks for ${r.date} by ${r.modelId} (${r.rows} rows from ${r.files.length} file(s)):\n`);
  for (const p of r.picks) process.stdout.write(`  ${String(p.rank).padStart(2)}. ${p.code.padEnd(10)} ${p.name.padEnd(24)} ${p.score.toFixed(4)}\n`);
}

export function register(program: Command): void {
  const dataset = program.command('dataset').description('training and inference datasets');
  dataset
    .command('build')
    .description('build the training rows (signal days with labels) or the inference rows (the latest signal day)')
    .option('--kind <kind>', 'train | inference', 'train')
    .option('--out <path>', 'a CSV (original layout) or a folder/s3:// prefix (sagemaker layout); default data/datasets/ beside the store')
    .option('--format <format>', 'original | sagemaker', 'original')
    .option('--label <kind>', 'next_close (the original: close t -> t+1) | qlib (close t+1 -> t+2)', labelOption, 'next_close')
    .option('--config <file>', 'signals and features (default workflows/feature_signal.txt)')
    .option('--signal <name>', 'the signal whose buy = 1 days are the rows (default: the configuration\'s first)')
    .option('--window <n>', 'distinct signal dates kept for training', intOption('--window'), 121)
    .option('--universe <u>', 'signal (buy = 1 rows) | all (every stock every day)', 'signal')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (opts, cmd: Command) => {
        if (opts.kind !== 'train' && opts.kind !== 'inference') throw badInput(`--kind expects train or inference, got "${opts.kind}"`);
        if (opts.format !== 'original' && opts.format !== 'sagemaker') throw badInput(`--format expects original or sagemaker, got "${opts.format}"`);
        if (opts.universe !== 'signal' && opts.universe !== 'all') throw badInput(`--universe expects signal or all, got "${opts.universe}"`);
        const { db, dbPath } = await store(cmd);
        const { loadAnalysisConfig } = await import('../../analysis/config.js');
        const { buildDataset } = await import('../../ml/dataset/build.js');
        const { writeDataset } = await import('../../ml/dataset/files.js');
        const { defaultDatasetPath } = await import('../../ml/dataset/paths.js');
        const { distinctDates } = await import('../../ml/dataset/table.js');
        const { yyyymmddToIso } = await import('../../core/time.js');
        const t0 = performance.now();
        const table = await buildDataset(db, {
          kind: opts.kind,
          config: loadAnalysisConfig(opts.config),
          signal: opts.signal,
          labelKind: opts.label,
          windowDates: opts.window,
          universe: opts.universe,
        });
        const out = opts.out ?? defaultDatasetPath(dbPath, opts.kind, opts.format);
        const written = await writeDataset(table, out, opts.format);
        const dates = distinctDates(table.dates);
        const result = {
          kind: table.kind,
          format: opts.format,
          label: table.labelKind,
          signal: table.signal,
          rows: table.dates.length,
          dates: dates.length,
          from: yyyymmddToIso(dates[0]!),
          to: yyyymmddToIso(dates[dates.length - 1]!),
          features: table.featureNames.length,
          files: written.files,
          seconds: (performance.now() - t0) / 1000,
        };
        if (opts.json) printJson(result);
        else process.stdout.write(`${result.kind} dataset: ${result.rows} rows on ${result.dates} dates (${result.from} .. ${result.to}), ${result.features} features, label ${result.label} -> ${result.files.join(', ')}\n`);
      }),
    );

  program
    .command('train')
    .description('train the classifier on the latest training dataset (built if missing), evaluate on its test dates, register it')
    .option('--data <path>', 'an original-layout training CSV (local or s3://)')
    .option('--params <k=v...>', 'GBDT parameters, e.g. --params max_depth=6 eta=0.1', collect, [])
    .option('--seed <n>', 'random seed', intOption('--seed'))
    .option('--config <file>', 'signals and features, when the dataset has to be built')
    .option('--label <kind>', 'label when the dataset has to be built', labelOption)
    .option('--top <n>', 'picks per day in the odds/pcr evaluation', intOption('--top'), 2)
    .option('--json', 'print the result as JSON')
    .action(
      action(async (opts, cmd: Command) => {
        const { db, dbPath } = await store(cmd);
        const { obtainDataset } = await import('../../ml/datasets.js');
        const { parseParamPairs } = await import('../../ml/gbdt/params.js');
        const { trainModel } = await import('../../ml/train.js');
        const pairs = (opts.params as string[]).flatMap((p) => p.split(/\s+/)).filter(Boolean);
        const params = parseParamPairs(pairs);
        if (opts.seed !== undefined) params.seed = opts.seed;
        const ds = await obtainDataset({ db, dbPath, kind: 'train', path: opts.data, configPath: opts.config, labelKind: opts.label });
        const r = trainModel({ db, table: ds.table, datasetPath: ds.path, params, topN: opts.top });
        if (opts.json) printJson(r);
        else {
          process.stdout.write(`model ${r.modelId}: ${r.rows} rows (train ${r.split.train}, validation ${r.split.validation}, test ${r.split.test}), ${r.rounds} rounds in ${r.seconds.toFixed(2)} s, label ${r.labelKind}\n`);
          printMetrics(r.metrics);
        }
      }),
    );

  program
    .command('evaluate')
    .description('evaluate a model on the test dates of the training dataset')
    .option('--model <id>', 'model id (default: the newest)')
    .option('--data <path>', 'an original-layout training CSV (local or s3://)')
    .option('--universe <u>', 'signal (the signalled rows) | all (every stock on the test dates, comparable with Qlib)', 'signal')
    .option('--config <file>', 'signals and features (for --universe all)')
    .option('--top <n>', 'picks per day in the odds/pcr evaluation', intOption('--top'), 2)
    .option('--json', 'print the result as JSON')
    .action(
      action(async (opts, cmd: Command) => {
        if (opts.universe !== 'signal' && opts.universe !== 'all') throw badInput(`--universe expects signal or all, got "${opts.universe}"`);
        const { db, dbPath } = await store(cmd);
        const { obtainDataset } = await import('../../ml/datasets.js');
        const { evaluateModel } = await import('../../ml/evaluate.js');
        const { yyyymmddToIso } = await import('../../core/time.js');
        const ds = await obtainDataset({ db, dbPath, kind: 'train', path: opts.data, configPath: opts.config });
        const r = await evaluateModel({ db, table: ds.table, modelId: opts.model, universe: opts.universe, configPath: opts.config, topN: opts.top });
        if (opts.json) printJson({ ...r, testFrom: yyyymmddToIso(r.testFrom), testTo: yyyymmddToIso(r.testTo) });
        else {
          process.stdout.write(`model ${r.modelId} on ${yyyymmddToIso(r.testFrom)} .. ${yyyymmddToIso(r.testTo)}, universe ${r.universe}, label ${r.labelKind}\n`);
          printMetrics(r.metrics);
        }
      }),
    );

  const model = program.command('model').description('the model registry');
  model
    .command('list')
    .description('registered models, newest first')
    .option('--json', 'print as JSON')
    .action(
      action(async (opts, cmd: Command) => {
        const { db } = await store(cmd);
        const { ModelRegistry } = await import('../../ml/registry.js');
        const list = new ModelRegistry(db).list();
        if (opts.json) return printJson(list.map(({ importance: _i, ...m }) => m));
        if (list.length === 0) return void process.stdout.write('no models yet (run: quantflow train)\n');
        for (const m of list)
          process.stdout.write(`${m.id.padEnd(28)} ${m.source.padEnd(9)} ${m.labelKind.padEnd(10)} auc ${fmt(m.metrics.auc as number)}  test ${m.dataRange.testFrom ?? '?'}..${m.dataRange.testTo ?? '?'}\n`);
      }),
    );
  model
    .command('show <id>')
    .description('one model: parameters, data range, metrics, feature importance')
    .option('--json', 'print as JSON')
    .action(
      action(async (id: string, opts, cmd: Command) => {
        const { db } = await store(cmd);
        const { ModelRegistry } = await import('../../ml/registry.js');
        const { modelJson: _j, ...m } = new ModelRegistry(db).require(id);
        if (opts.json) return printJson(m);
        process.stdout.write(`${m.id} (${m.source}, label ${m.labelKind}, universe ${m.universe}, created ${m.createdAt})\n`);
        process.stdout.write(`data: ${JSON.stringify(m.dataRange)}\nparams: ${JSON.stringify(m.params)}\n`);
        printMetrics(m.metrics);
        const imp = Object.entries(m.importance ?? {}).sort((a, b) => b[1].gain * b[1].weight - a[1].gain * a[1].weight).slice(0, 15);
        if (imp.length) process.stdout.write('importance (total gain):\n' + imp.map(([f, v]) => `  ${f.padEnd(28)} ${(v.gain * v.weight).toFixed(2)}`).join('\n') + '\n');
      }),
    );
  model
    .command('export <id>')
    .description('write the model as XGBoost JSON (loadable by Python xgboost)')
    .requiredOption('--out <file>', 'a local path or s3:// URI')
    .action(
      action(async (id: string, opts, cmd: Command) => {
        const { db } = await store(cmd);
        const { ModelRegistry } = await import('../../ml/registry.js');
        const { writeThroughLocal } = await import('../../cloud/s3.js');
        const { writeFileSync, renameSync } = await import('node:fs');
        const m = new ModelRegistry(db).require(id);
        if (!m.modelJson) throw badInput(`model ${id} has no XGBoost JSON to export`);
        await writeThroughLocal(opts.out, (local) => {
          writeFileSync(`${local}.tmp`, m.modelJson!);
          renameSync(`${local}.tmp`, local);
        });
        process.stdout.write(`wrote ${opts.out}\n`);
      }),
    );

  program
    .command('backtest')
    .description('walk-forward backtest: refit every K signal dates on the trailing window, hold the top N for a day (or TopkDropout with --n-drop), after costs')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day (YYYY-MM-DD)')
    .option('--retrain-every <k>', 'refit every k signal dates', intOption('--retrain-every'), 20)
    .option('--window <n>', 'signal dates in each training window', intOption('--window'), 121)
    .option('--top <n>', 'stocks held each day', intOption('--top'), 2)
    .option('--n-drop <k>', "Qlib's TopkDropout: keep the top N across days, replacing at most k a day", intOption('--n-drop'))
    .option('--buy-cost <x>', 'cost of buying, as a fraction', parseFloat, 0.0005)
    .option('--sell-cost <x>', 'cost of selling, as a fraction', parseFloat, 0.0015)
    .option('--label <kind>', 'next_close | qlib', labelOption, 'next_close')
    .option('--universe <u>', 'signal (train on and pick among the signalled stocks) | all (every stock every day, as Qlib)', 'signal')
    .option('--params <k=v...>', 'GBDT parameters', collect, [])
    .option('--threads <n>', 'worker threads for the refits (default: both cores)', intOption('--threads'))
    .option('--config <file>', 'signals and features')
    .option('--json', 'print the report (with the daily equity curve) as JSON')
    .action(
      action(async (opts, cmd: Command) => {
        const from = parseDate(opts.from);
        const to = parseDate(opts.to);
        if (from > to) throw badInput(`--from ${opts.from} is after --to ${opts.to}`);
        if (opts.universe !== 'signal' && opts.universe !== 'all') throw badInput(`--universe expects signal or all, got "${opts.universe}"`);
        const { db } = await store(cmd);
        const { loadAnalysisConfig } = await import('../../analysis/config.js');
        const { buildDataset } = await import('../../ml/dataset/build.js');
        const { backtest } = await import('../../ml/backtest/index.js');
        const { parseParamPairs } = await import('../../ml/gbdt/params.js');
        const { saveBacktest } = await import('../../ml/registry.js');
        const table = await buildDataset(db, { kind: 'train', config: loadAnalysisConfig(opts.config), labelKind: opts.label, windowDates: Number.MAX_SAFE_INTEGER, universe: opts.universe });
        const params = parseParamPairs((opts.params as string[]).flatMap((p) => p.split(/\s+/)).filter(Boolean));
        if (opts.nDrop !== undefined && opts.nDrop > opts.top) throw badInput(`--n-drop ${opts.nDrop} is more than --top ${opts.top}`);
        const { MarketStore } = await import('../../market/store.js');
        const market = new MarketStore(db);
        const r = await backtest(table, {
          from,
          to,
          retrainEvery: opts.retrainEvery,
          window: opts.window,
          top: opts.top,
          buyCost: opts.buyCost,
          sellCost: opts.sellCost,
          params,
          threads: opts.threads,
          nDrop: opts.nDrop,
          prices: (code) => market.readBars(code),
        });
        const report = { label: opts.label, universe: opts.universe as 'signal' | 'all', ...r };
        saveBacktest(db, opts.label, report);
        if (opts.json) return printJson(report);
        const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '-');
        const base = opts.universe === 'all' ? 'all stocks' : 'all signals';
        process.stdout.write(
          [
            `backtest ${r.from} .. ${r.to}: ${r.days} days, ${r.refits} refits on ${r.threads} thread(s), ${r.strategy === 'topk-dropout' ? `TopkDropout topk ${r.top} n_drop ${r.nDrop}` : `top ${r.top} held a day`}, costs ${r.costs.buy * 1e4}/${r.costs.sell * 1e4} bp, label ${opts.label}, universe ${opts.universe}`,
            `  annual return        ${pct(r.annualReturn)}   (${base} ${pct(r.baseAnnualReturn)}, excess ${pct(r.excessAnnualReturn)})`,
            `  information ratio    ${fmt(r.informationRatio, 3)}`,
            `  max drawdown         ${pct(r.maxDrawdown)}   (${base} ${pct(r.baseMaxDrawdown)})`,
            `  turnover             ${pct(r.turnover)} of the book a day`,
            `  ${r.seconds.toFixed(1)} s`,
          ].join('\n') + '\n',
        );
      }),
    );

  program
    .command('recommend')
    .description('score the latest inference rows and store the top N as picks')
    .option('--model <id>', 'model id (default: the newest)')
    .option('--top <n>', 'picks to keep', intOption('--top'), 10)
    .option('--data <path>', 'an original-layout inference CSV (local or s3://)')
    .option('--config <file>', 'signals and features, when the dataset has to be built')
    .option('--from <s3uri>', "SageMaker's inference output (an s3:// object or prefix): store its latest date's top N")
    .option('--pipeline <name>', 'with --from: the pipeline whose latest Succeeded execution made it', 'StockPipeline')
    .option('--json', 'print the picks as JSON')
    .action(
      action(async (opts, cmd: Command) => {
        const { db, dbPath } = await store(cmd);
        if (opts.from) return recommendFromSageMaker(db, opts);
        const { obtainDataset } = await import('../../ml/datasets.js');
        const { recommend } = await import('../../ml/recommend.js');
        const ds = await obtainDataset({ db, dbPath, kind: 'inference', path: opts.data, configPath: opts.config });
        const r = recommend({ db, table: ds.table, modelId: opts.model, top: opts.top });
        if (opts.json) return printJson(r);
        process.stdout.write(`picks for ${r.date} by ${r.modelId}:\n`);
        for (const p of r.picks) process.stdout.write(`  ${String(p.rank).padStart(2)}. ${p.code.padEnd(10)} ${p.name.padEnd(24)} ${p.score.toFixed(4)}\n`);
      }),
    );

  program
    .command('picks')
    .description('stored picks, newest date first, by rank')
    .option('--date <date>', 'one day (YYYY-MM-DD)')
    .option('--model <id>', 'one model')
    .option('--limit <n>', 'at most n rows', intOption('--limit'), 200)
    .option('--json', 'print as JSON: [{date, code, name, score, rank, modelId}]')
    .action(
      action(async (opts, cmd: Command) => {
        const { db } = await store(cmd);
        const { PickStore } = await import('../../ml/picks.js');
        const list = new PickStore(db).list({ date: opts.date ? parseDate(opts.date) : undefined, modelId: opts.model, limit: opts.limit });
        if (opts.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('no picks yet (run: quantflow recommend)\n');
        for (const p of list) process.stdout.write(`${p.date}  ${String(p.rank).padStart(2)}  ${p.code.padEnd(10)} ${p.name.padEnd(24)} ${p.score.toFixed(4)}  ${p.modelId}\n`);
      }),
    );
}
