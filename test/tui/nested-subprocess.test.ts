import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/tui/engine.js';
import { initialState, reducer } from '../../src/tui/state.js';
import type { EngineEvent } from '../../src/tui/engine-events.js';
import { tempDir } from '../support/fs.js';

const tmp = tempDir('qf-tui-nested-');
afterAll(() => tmp.cleanup());

/** root -> SubProcess mid -> SubProcess leaf: three levels, each with a Shell task. */
function writeFamily(dir: string): string {
  const wf = join(dir, 'workflows');
  mkdirSync(wf, { recursive: true });
  writeFileSync(join(wf, 'leaf.yaml'), 'workflow:\n  name: leaf\ntasks:\n  - name: deep\n    task_type: Shell\n    command: echo deep\n');
  writeFileSync(
    join(wf, 'mid.yaml'),
    'workflow:\n  name: mid\ntasks:\n  - name: prep\n    task_type: Shell\n    command: echo prep\n  - name: inner\n    task_type: SubProcess\n    deps: [prep]\n    process_definition_name: $WORKFLOW{"leaf.yaml"}\n',
  );
  writeFileSync(
    join(wf, 'root.yaml'),
    'workflow:\n  name: root\ntasks:\n  - name: first\n    task_type: Shell\n    command: echo first\n  - name: outer\n    task_type: SubProcess\n    deps: [first]\n    process_definition_name: $WORKFLOW{"mid.yaml"}\n',
  );
  return join(wf, 'root.yaml');
}

describe('SubProcess expansion in the DAG', () => {
  it('expands sub-workflows at every depth and follows their live states', async () => {
    const file = writeFamily(tmp.dir);
    const engine = new Engine({ dbPath: join(tmp.dir, 'q.db'), workflowDirs: [join(tmp.dir, 'workflows')], cwd: tmp.dir });
    const bundle = engine.bundle(file)!;
    const tasks = engine.dagTasks(bundle);
    expect(tasks.map((t) => [t.id, t.indent, t.deps.join(',')])).toEqual([
      ['first', 0, ''],
      ['outer', 0, 'first'],
      ['outer/prep', 1, 'outer'],
      ['outer/inner', 1, 'outer/prep'],
      ['outer/inner/deep', 2, 'outer/inner'],
    ]);
    expect(tasks.find((t) => t.id === 'outer/inner/deep')!.parent).toBe('outer/inner');

    let s = reducer(initialState(), { type: 'open-dag', file, workflow: 'root', tasks, params: {} });
    const events: EngineEvent[] = [];
    const h = await engine.start('start', { file }, (e) => events.push(e));
    s = reducer(s, { type: 'open-dag', file, workflow: 'root', tasks, params: {}, runId: h.runId });
    const summary = await h.done;
    expect(summary.state).toBe('SUCCESS');
    s = reducer(s, { type: 'engine', events });
    // Live events of the grandchild run land on the grandchild's row...
    expect(s.dag.live['outer/inner/deep']?.state).toBe('SUCCESS');
    expect(s.dag.live['outer/prep']?.state).toBe('SUCCESS');
    // ...and so do the stored states when a past run is opened.
    const stored = engine.liveOf(h.runId);
    expect(Object.keys(stored).sort()).toEqual(['first', 'outer', 'outer/inner', 'outer/inner/deep', 'outer/prep']);
    expect(stored['outer/inner/deep']!.state).toBe('SUCCESS');
  }, 60_000);
});
