/**
 * The default workflows end to end, as a user runs them: `quantflow run workflows/run_system.yaml`
 * on a fresh store ends with picks, offline on the demo market and on the real CSI 300 bars.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDb } from '../../src/core/db.js';
import { PickStore } from '../../src/ml/picks.js';
import { ModelRegistry } from '../../src/ml/registry.js';
import { runCli } from '../support/cli.js';
import { csi300Dir, repoRoot, tempDir } from '../support/fs.js';

const workflow = join(repoRoot, 'workflows', 'run_system.yaml');

describe('workflows/run_system.yaml', () => {
  const tmp = tempDir('qf-e2e-');
  afterAll(() => tmp.cleanup());

  function runSystem(name: string, params: string[]) {
    const dbPath = join(tmp.dir, `${name}.db`);
    const r = runCli(['run', workflow, '--json', ...params.flatMap((p) => ['--param', p])], { env: { QUANTFLOW_DB: dbPath }, timeout: 400_000 });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.state).toBe('SUCCESS');
    expect(summary.tasks.map((t: { name: string }) => t.name)).toEqual(['prepare_datas', 'train_model', 'recommend_stock']);
    const db = openDb(dbPath);
    try {
      const picks = new PickStore(db).list();
      const model = new ModelRegistry(db).latest();
      return { picks, model };
    } finally {
      db.close();
    }
  }

  it('runs offline on the demo market and ends with picks', () => {
    const { picks, model } = runSystem('demo', []);
    expect(picks.length).toBeGreaterThan(0);
    expect(picks.length).toBeLessThanOrEqual(10);
    expect(picks[0]!.name).toMatch(/synthetic/);
    expect(picks.every((p) => p.modelId === model!.id)).toBe(true);
  }, 400_000);

  it('runs on the CSI 300 data from ../shared and picks real stocks', () => {
    const { picks, model } = runSystem('csi300', ['provider=csv', `source=${csi300Dir}`]);
    expect(picks.length).toBeGreaterThan(0);
    expect(picks[0]!.date).toBe('2021-09-30');
    expect(picks.every((p) => /^(sh|sz)\.\d{6}$/.test(p.code) && !p.name.includes('synthetic'))).toBe(true);
    expect(model!.dataRange.testTo).toBe('2021-09-29');
  }, 400_000);
});
