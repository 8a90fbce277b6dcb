import { describe, it, expect } from 'vitest';
import { buildParamMap, resolveText } from '../../../src/workflow/params/resolve.js';
import { OutputParamParser, declaredOutputs, mergeVarPools } from '../../../src/workflow/params/set-value.js';
import { builtinParams } from '../../../src/workflow/params/builtins.js';

const base = new Date(2022, 7, 26, 13, 45, 30);

describe('parameter precedence (built-ins -> global -> varPool -> local IN -> start-up)', () => {
  it('later layers win', () => {
    const m = buildParamMap([{ a: 'builtin', b: 'builtin', c: 'builtin', d: 'builtin', e: 'builtin' }, { b: 'global', c: 'global', d: 'global', e: 'global' }, { c: 'pool', d: 'pool', e: 'pool' }, { d: 'local', e: 'local' }, { e: 'startup' }]);
    expect(m).toEqual({ a: 'builtin', b: 'global', c: 'pool', d: 'local', e: 'startup' });
  });

  it('a local param ${project} over the global project takes the global value (not a cycle)', () => {
    const m = buildParamMap([{}, { project: 'stock' }, {}, { project: '${project}' }, {}]);
    expect(m.project).toBe('stock');
    const m2 = buildParamMap([{}, { project: 'stock' }, {}, { project: '${project}-local' }, { project: '${project}-cli' }]);
    expect(m2.project).toBe('stock-local-cli');
  });

  it('chained references resolve; unknown and cyclic references stay literal', () => {
    const m = buildParamMap([{}, { a: '${b}', b: '${c}', c: '1', x: '${nope}', p: '${q}', q: '${p}' }]);
    expect(m.a).toBe('1');
    expect(m.x).toBe('${nope}');
    expect(m.p).toContain('${');
  });

  it('built-ins and time expressions inside values', () => {
    const b = builtinParams({ base, projectName: 'proj', workflowName: 'wf', runId: 7, taskName: 't', taskInstanceId: 9, executePath: '/w' });
    expect(b['system.biz.date']).toBe('20220825');
    expect(b['system.biz.curdate']).toBe('20220826');
    expect(b['system.datetime']).toBe('20220826134530');
    expect(b['system.workflow.instance.id']).toBe('7');
    expect(b['system.task.instance.id']).toBe('9');
    expect(b['system.task.definition.name']).toBe('t');
    expect(b['system.workflow.definition.name']).toBe('wf');
    expect(b['system.project.name']).toBe('proj');
    expect(b['system.task.execute.path']).toBe('/w');
    expect(b['system.task.definition.code']).toMatch(/^\d+$/);
    const m = buildParamMap([b, { day: '${system.biz.date}', month: '$[yyyyMM]' }], base);
    expect(m.day).toBe('20220825');
    expect(m.month).toBe('202208');
    expect(resolveText('echo ${day} $[yyyyMMdd+1] ${unknown}', m, base)).toBe('echo 20220825 20220827 ${unknown}');
  });
});

describe('OUT params from stdout', () => {
  it('parses ${setValue(k=v)} and #{setValue(k=v)}, multi-line values, splits on the first =', () => {
    const p = new OutputParamParser();
    for (const l of ["x ${setValue(a=1)} y #{setValue(b=c=d)}", '${setValue(multi=line1', 'line2)}', 'plain']) p.feed(l);
    expect(Object.fromEntries(p.values)).toEqual({ a: '1', b: 'c=d', multi: 'line1\nline2' });
    expect(declaredOutputs(p.values, ['a', 'multi', 'missing'])).toEqual({ a: '1', multi: 'line1\nline2' });
  });

  it('merges upstream pools: non-empty wins, tie -> earliest finished', () => {
    expect(mergeVarPools([{ endTime: 2, pool: { k: 'late', e: 'x' } }, { endTime: 1, pool: { k: 'early', e: '' } }])).toEqual({ k: 'early', e: 'x' });
  });
});
