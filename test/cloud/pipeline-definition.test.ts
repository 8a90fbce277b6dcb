/**
 * The StockPipeline definition quantflow generates: valid against SageMaker's published
 * pipeline-definition schema (test/fixtures/sagemaker, with the one erratum SOURCE.md explains),
 * rejected once broken, internally consistent (every Get names a real parameter, step or output),
 * and the generated processing scripts really do what the steps need (run with python3 here).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildPipelineDefinition, XGBOOST_HYPERPARAMETERS, type PipelineDefinition } from '../../src/cloud/sagemaker/pipeline-definition.js';
import { xgboostImageUri } from '../../src/cloud/sagemaker/image-uris.js';
import { PREPROCESS_PY } from '../../src/cloud/sagemaker/scripts/preprocess.js';
import { EVALUATE_PY } from '../../src/cloud/sagemaker/scripts/evaluate.js';
import { validateJsonSchema, type Schema } from '../support/json-schema.js';
import { repoRoot, tempDir } from '../support/fs.js';
import { findXgboostPython, runPython, XGBOOST_SKIP_MESSAGE } from '../support/xgboost.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/sagemaker/pipeline-definition.schema.json'), 'utf8')) as Schema;
/** The erratum (SOURCE.md): a Model step's ModelDataUrl may be a Get, as SageMaker itself accepts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const patched = structuredClone(schema) as any;
patched.definitions.ContainerDefinition.properties.ModelDataUrl = {
  oneOf: [(schema as any).definitions.ContainerDefinition.properties.ModelDataUrl, { $ref: '#/definitions/GetFunction' }],
};

const opts = { bucket: 'qf-bucket', region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/SageMakerRole' };
const def = (): PipelineDefinition => buildPipelineDefinition(opts);

describe('the generated pipeline definition', () => {
  it('is valid against the published schema (with the ModelDataUrl erratum)', () => {
    expect(validateJsonSchema(patched, def())).toEqual([]);
  });

  it('fails the unpatched schema only at the Model step ModelDataUrl Get', () => {
    const errors = validateJsonSchema(schema, def()).filter((e) => !/matches none/.test(e.message));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.path).toBe('/Steps/2/Arguments/PrimaryContainer/ModelDataUrl');
  });

  it.each([
    ['an unknown top-level key', (d: any) => (d.PipelineExperimentConfig = {})],
    ['a Std:Join where a string or Get is required', (d: any) => (d.Steps[4].Arguments.ModelName = { 'Std:Join': { On: '', Values: ['a'] } })],
    ['a step name with a space', (d: any) => (d.Steps[0].Name = 'Stock Process')],
    ['a numeric hyper-parameter', (d: any) => (d.Steps[1].Arguments.HyperParameters.num_round = 500)],
    ['an unknown parameter type', (d: any) => (d.Parameters[0].Type = 'Str')],
    ['a wrong version', (d: any) => (d.Version = '2021-01-01')],
    ['no steps', (d: any) => delete d.Steps],
    ['an unknown processing argument', (d: any) => (d.Steps[0].Arguments.PropertyFiles = [])],
    ['a string instance count', (d: any) => (d.Steps[1].Arguments.ResourceConfig.InstanceCount = '1')],
  ])('rejects %s', (_what, mutate) => {
    const d = def();
    mutate(d);
    expect(validateJsonSchema(patched, d).length).toBeGreaterThan(0);
  });

  it("has the original's parameters, steps, hyper-parameters and the region's XGBoost 1.7-1 image", () => {
    const d = def();
    expect(d.Version).toBe('2020-12-01');
    expect(d.Parameters.map((p) => p.Name)).toEqual(['InputData', 'InferenceData', 'OutputPrefix', 'ProcessingInstanceType', 'TrainingInstanceType', 'TransformInstanceType']);
    expect(d.Parameters.find((p) => p.Name === 'OutputPrefix')!.DefaultValue).toBe('s3://qf-bucket/stock_out/');
    expect(d.Parameters.find((p) => p.Name === 'TrainingInstanceType')!.DefaultValue).toBe('ml.m5.xlarge');
    expect(d.Steps.map((s) => `${s.Name}:${s.Type}`)).toEqual(['StockProcess:Processing', 'StockTrain:Training', 'StockModel:Model', 'StockEval:Processing', 'StockInference:Transform']);
    const train = d.Steps[1]!.Arguments as any;
    expect(train.HyperParameters).toEqual({ objective: 'binary:logistic', num_round: '500', max_depth: '5', eta: '0.2', gamma: '4', min_child_weight: '6', subsample: '0.7' });
    expect(train.HyperParameters).toEqual(XGBOOST_HYPERPARAMETERS);
    expect(train.AlgorithmSpecification.TrainingImage).toBe('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(train.InputDataConfig.map((c: any) => `${c.ChannelName}:${c.ContentType}`)).toEqual(['train:text/csv', 'validation:text/csv']);
    const process = d.Steps[0]!.Arguments as any;
    expect(process.AppSpecification.ImageUri).toBe(train.AlgorithmSpecification.TrainingImage);
    expect(process.AppSpecification.ContainerEntrypoint).toEqual(['python3', '/opt/ml/processing/input/code/preprocess.py']);
    const transform = d.Steps[4]!.Arguments as any;
    expect(transform.DataProcessing).toEqual({ InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' });
    expect(transform.TransformOutput.S3OutputPath).toEqual({ Get: 'Parameters.OutputPrefix' });
    expect(buildPipelineDefinition({ ...opts, region: 'eu-west-1', instanceType: 'ml.c5.2xlarge' }).Parameters[3]!.DefaultValue).toBe('ml.c5.2xlarge');
  });

  it('refers only to parameters, steps and outputs that exist', () => {
    const d = def();
    const gets: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.Get === 'string') gets.push(o.Get);
        Object.values(o).forEach(walk);
      }
    };
    walk(d.Steps);
    expect(gets.length).toBeGreaterThan(8);
    const params = new Set(d.Parameters.map((p) => p.Name));
    const steps = new Map(d.Steps.map((s) => [s.Name, s]));
    for (const g of gets) {
      const p = /^Parameters\.(\w+)$/.exec(g);
      if (p) {
        expect(params.has(p[1]!), g).toBe(true);
        continue;
      }
      const out = /^Steps\.(\w+)\.ProcessingOutputConfig\.Outputs\['(\w+)'\]\.S3Output\.S3Uri$/.exec(g);
      if (out) {
        const names = ((steps.get(out[1]!)!.Arguments as any).ProcessingOutputConfig.Outputs as { OutputName: string }[]).map((o) => o.OutputName);
        expect(names, g).toContain(out[2]);
        continue;
      }
      const prop = /^Steps\.(\w+)\.(ModelArtifacts\.S3ModelArtifacts|ModelName)$/.exec(g);
      expect(prop, `unexpected Get ${g}`).not.toBeNull();
      expect(steps.get(prop![1]!)?.Type).toBe(prop![2] === 'ModelName' ? 'Model' : 'Training');
    }
  });
});

describe('built-in XGBoost image URIs', () => {
  it('come from the per-region account table', () => {
    expect(xgboostImageUri('eu-west-1')).toBe('141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(xgboostImageUri('ap-northeast-1')).toBe('354813040037.dkr.ecr.ap-northeast-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(xgboostImageUri('cn-north-1')).toBe('450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1');
    expect(() => xgboostImageUri('mars-north-1')).toThrow(/not known for region "mars-north-1"/);
  });
});

/** 20 dates x 3 codes; features f1, f2 with a gap; the inference file has its columns in another order. */
function writeInputs(base: string): void {
  mkdirSync(join(base, 'input/train/sub'), { recursive: true });
  mkdirSync(join(base, 'input/inference'), { recursive: true });
  const lines = [',label,buy,f1,f2,y'];
  for (let d = 1; d <= 20; d++)
    for (const code of ['sh.600000', 'sz.000001', 'sh.600519']) {
      const date = `2024-03-${String(d).padStart(2, '0')}`;
      const y = ((d * 7 + code.length) % 5) - 2;
      lines.push(`${date}$${code},${y > 0 ? 1 : 0},1,${d / 10},${d % 4 === 0 ? '' : d * 2},${y / 100}`);
    }
  writeFileSync(join(base, 'input/train/sub/train.csv'), lines.join('\n') + '\n');
  writeFileSync(join(base, 'input/inference/inference.csv'), ',buy,f2,f1\n2024-03-21$sh.600000,1,,0.5\n2024-03-21$sz.000001,1,3,0.25\n');
}

describe('the generated processing scripts', () => {
  const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;

  it.skipIf(!python)('StockProcess splits by date (train / last 14 .. 8 / last 7), label first, no header, keeps <date>$<code> for inference', () => {
    const tmp = tempDir('qf-preprocess-');
    try {
      writeInputs(tmp.dir);
      writeFileSync(join(tmp.dir, 'preprocess.py'), PREPROCESS_PY);
      const r = spawnSync(python!, [join(tmp.dir, 'preprocess.py')], { encoding: 'utf8', env: { ...process.env, QF_PROCESSING_BASE: tmp.dir } });
      expect(r.status, r.stderr).toBe(0);
      const read = (p: string) => readFileSync(join(tmp.dir, p), 'utf8').trim().split('\n');
      const train = read('train/train.csv');
      const valid = read('validation/validation.csv');
      const test = read('test/test.csv');
      expect([train.length, valid.length, test.length]).toEqual([18, 21, 21]);
      // label, buy, f1, f2 (y dropped); the first training date is 2024-03-01 -> f1 = 0.1
      expect(train[0]).toMatch(/^[01],1,0\.1,2$/);
      expect(test[test.length - 1]).toMatch(/^[01],1,2,nan$/); // 2024-03-20: f1 = 2, f2 missing
      expect(train.find((l) => l.split(',')[3] === 'nan')).toBeDefined();
      for (const l of [...train, ...valid, ...test]) expect(l.split(',')).toHaveLength(4);
      expect(read('inference/inference.csv')).toEqual(['2024-03-21$sh.600000,1,0.5,nan', '2024-03-21$sz.000001,1,0.25,3']);
    } finally {
      tmp.cleanup();
    }
  });

  const xgb = findXgboostPython();
  it.skipIf(!xgb)('StockEval writes the class-1 classification report of a real XGBoost model', () => {
    if (!xgb) return console.log(XGBOOST_SKIP_MESSAGE);
    const tmp = tempDir('qf-evaluate-');
    try {
      writeInputs(tmp.dir);
      writeFileSync(join(tmp.dir, 'preprocess.py'), PREPROCESS_PY);
      expect(spawnSync(xgb.python, [join(tmp.dir, 'preprocess.py')], { env: { ...process.env, QF_PROCESSING_BASE: tmp.dir } }).status).toBe(0);
      // Train as the container would (label first, no header), save in XGBoost's format, pack model.tar.gz.
      runPython(
        xgb,
        [
          'import sys, os, tarfile, numpy as np, xgboost as xgb',
          'b = sys.argv[1]',
          'd = np.genfromtxt(os.path.join(b, "train/train.csv"), delimiter=",", ndmin=2)',
          'm = xgb.train({"objective": "binary:logistic", "max_depth": 2}, xgb.DMatrix(d[:, 1:], label=d[:, 0]), 5)',
          'os.makedirs(os.path.join(b, "model"), exist_ok=True); m.save_model(os.path.join(b, "xgboost-model"))',
          't = tarfile.open(os.path.join(b, "model/model.tar.gz"), "w:gz"); t.add(os.path.join(b, "xgboost-model"), arcname="xgboost-model"); t.close()',
        ].join('\n'),
        [tmp.dir],
      );
      writeFileSync(join(tmp.dir, 'evaluate.py'), EVALUATE_PY);
      const r = spawnSync(xgb.python, [join(tmp.dir, 'evaluate.py')], { encoding: 'utf8', env: { ...process.env, QF_PROCESSING_BASE: tmp.dir } });
      expect(r.status, r.stderr).toBe(0);
      const out = join(tmp.dir, 'evaluation/evaluation.json');
      expect(existsSync(out)).toBe(true);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      const positives = readFileSync(join(tmp.dir, 'test/test.csv'), 'utf8').trim().split('\n').filter((l) => l.startsWith('1,')).length;
      expect(report.rows).toBe(21);
      expect(report.threshold).toBe(0.5);
      expect(report.classification_report['1'].support).toBe(positives);
      for (const k of ['precision', 'recall', 'f1-score']) expect(report.classification_report['1'][k]).toBeGreaterThanOrEqual(0);
    } finally {
      tmp.cleanup();
    }
  });
});
