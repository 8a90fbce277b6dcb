import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot, tempDir } from '../../support/fs.js';
import { runCliAsync } from './cli-async.js';

const fixture = resolve(repoRoot, 'test/fixtures/ds/original/run_system.yaml');
const env = { STOCK_PROJECT: 'stock' };
const tmp = tempDir('qf-dsx-');
afterAll(() => tmp.cleanup());
type Json = Record<string, any>;

describe('quantflow ds export (through the YAML loader)', () => {
  it('--json prints children first, the parent carrying their codes, the same on every run', async () => {
    const a = await runCliAsync(['ds', 'export', fixture, '--json', '--ds-version', '3.3', '--sagemaker-datasource', '4'], { env });
    expect(a.status).toBe(0);
    const doc = JSON.parse(a.stdout);
    expect(doc.workflows.map((w: Json) => w.name)).toEqual(['prepare_datas', 'train_model', 'recommend_stock', 'run_system']);
    const code = Object.fromEntries(doc.workflows.map((w: Json) => [w.name, w.code]));
    const parent = JSON.parse(doc.workflows[3].form.taskDefinitionJson);
    expect(parent.map((t: Json) => [t.taskType, t.taskParams.workflowDefinitionCode])).toEqual([
      ['SUB_WORKFLOW', code.prepare_datas],
      ['SUB_WORKFLOW', code.train_model],
      ['SUB_WORKFLOW', code.recommend_stock],
    ]);
    const train = JSON.parse(doc.workflows[1].form.taskDefinitionJson);
    const sm = train.find((t: Json) => t.name === 'sagemaker');
    expect(JSON.parse(sm.taskParams.sagemakerRequestJson).PipelineName).toBe('stock-train');
    expect(sm.taskParams).toMatchObject({ type: 'SAGEMAKER', datasource: 4 });
    expect(train[0].taskParams.localParams).toEqual([
      { prop: 'project', direct: 'IN', type: 'VARCHAR', value: '${project}' },
      { prop: 's3_training_data_path', direct: 'IN', type: 'VARCHAR', value: 's3://ds-stock/dataset/dataset.csv' },
    ]);
    expect(JSON.parse(doc.workflows[3].form.globalParams)).toEqual([{ prop: 'project', direct: 'IN', type: 'VARCHAR', value: 'stock' }]);
    // Warnings go to stderr with file:line:col.
    expect(a.stderr).toMatch(/warning: .*train_model\.yaml:\d+:\d+: train_model\/sagemaker: timeout 120 min without timeout_notify_strategy/);
    expect(a.stderr).not.toMatch(/calc_features: timeout/);
    const b = await runCliAsync(['ds', 'export', fixture, '--json', '--ds-version', '3.3', '--sagemaker-datasource', '4'], { env });
    expect(b.stdout).toBe(a.stdout);
  });

  it('--out writes <workflow name>.json per workflow', async () => {
    const out = join(tmp.dir, 'out');
    const r = await runCliAsync(['ds', 'export', fixture, '--out', out, '--ds-version', '3.1', '--tenant', 'quant'], { env });
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['prepare_datas.json', 'recommend_stock.json', 'run_system.json', 'train_model.json']);
    const f = JSON.parse(readFileSync(join(out, 'run_system.json'), 'utf8'));
    expect(f).toMatchObject({ name: 'run_system', version: '3.1', form: { name: 'run_system', tenantCode: 'quant', executionType: 'PARALLEL' } });
    expect(r.stdout).toContain(`wrote ${join(out, 'train_model.json')}`);
  });

  it('rejects a bad version and a task type it cannot export, on one line', async () => {
    const v = await runCliAsync(['ds', 'export', fixture, '--ds-version', '2.0'], { env });
    expect(v.status).toBe(2);
    expect(v.stderr.trim()).toBe('quantflow: --ds-version must be 3.1, 3.2 or 3.3, got "2.0"');
    const file = join(tmp.dir, 'http.yaml');
    writeFileSync(file, 'workflow:\n  name: web\ntasks:\n  - name: ping\n    task_type: Http\n    url: http://example.com\n');
    const h = await runCliAsync(['ds', 'export', file, '--out', join(tmp.dir, 'none')]);
    expect(h.status).toBe(2);
    expect(h.stderr).toMatch(/^quantflow: .*http\.yaml:4:\d+: task ping: quantflow does not export Http \(HTTP\) tasks to DolphinScheduler yet/m);
    expect(existsSync(join(tmp.dir, 'none'))).toBe(false);
  });
});
