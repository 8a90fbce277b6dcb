import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflow, loadWorkflowFile } from '../../../src/workflow/dialect/load.js';
import { repoRoot } from '../../support/fs.js';

const dir = resolve(repoRoot, 'test/fixtures/workflows/original');
const env = { STOCK_PROJECT: '/srv/stock' };

describe('the original system\'s workflows', () => {
  it('loads the parent and its three children, children first', () => {
    const b = loadWorkflow(resolve(dir, 'run_system.yaml'), { env, cwd: repoRoot });
    expect(b.order.map((w) => w.name)).toEqual(['prepare_datas', 'train_model', 'recommend_stock', 'run_system']);
    expect(b.root.name).toBe('run_system');
    expect(b.root.tasks.map((t) => [t.name, t.type, t.childWorkflow, t.deps])).toEqual([
      ['prepare_datas', 'SUB_PROCESS', 'prepare_datas', []],
      ['train_model', 'SUB_PROCESS', 'train_model', ['prepare_datas']],
      ['recommend_stock', 'SUB_PROCESS', 'recommend_stock', ['train_model']],
    ]);
    expect(b.root.params).toEqual({ project: '/srv/stock' });
    expect(b.root.file).toBe(resolve(dir, 'run_system.yaml'));
  });

  it('shares local_params through the anchor, reads scripts with $FILE, keeps ${...} and $[...]', () => {
    const b = loadWorkflow(resolve(dir, 'run_system.yaml'), { env, cwd: repoRoot });
    const prep = b.byName.get('prepare_datas')!;
    expect(prep.tasks.map((t) => t.name)).toEqual(['download_data', 'calc_signals', 'calc_features']);
    for (const t of prep.tasks) expect(t.localParams[0]).toEqual({ prop: 'project', direct: 'IN', type: 'VARCHAR', value: '${project}' });
    expect(prep.tasks[0].localParams[1]).toEqual({ prop: 'data_path', direct: 'OUT', type: 'VARCHAR', value: '' });
    expect(prep.tasks[1].script).toContain('echo "signals of ${project} from ${data_path}"');
    expect(b.byName.get('recommend_stock')!.tasks[1].script).toBe('echo "top ${top_n} stocks for ${project} on $[yyyyMMdd]"');
    const train = b.byName.get('train_model')!;
    expect(train.tasks[0].failRetryTimes).toBe(1); // from the << merge key
    expect(train.tasks[0].failRetryInterval).toBe(0.01);
    expect(train.tasks[0].localParams[1]).toEqual({ prop: 'train_rows', direct: 'OUT', type: 'INTEGER', value: '' });
    expect(train.tasks[1].type).toBe('SHELL'); // task_type: shell, case-insensitive
  });

  it('without STOCK_PROJECT set, strict mode reports every use with its location', () => {
    const r = loadWorkflowFile(resolve(dir, 'run_system.yaml'), { env: {}, cwd: repoRoot });
    expect(r.bundle).toBeUndefined();
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.col}`)).toEqual([
      'test/fixtures/workflows/original/prepare_datas.yaml:9:16',
      'test/fixtures/workflows/original/train_model.yaml:11:16',
      'test/fixtures/workflows/original/recommend_stock.yaml:7:16',
      'test/fixtures/workflows/original/run_system.yaml:5:14',
    ]);
    expect(errors[0].message).toMatch(/STOCK_PROJECT.*not set/);
  });
});
