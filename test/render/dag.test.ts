import { describe, it, expect } from 'vitest';
import { renderDag, type DagNode } from '../../src/render/dag.js';
import { renderDagBoxes } from '../../src/render/dag-boxes.js';
import { STATUS_STYLES, statusStyle } from '../../src/render/status.js';
import { TASK_STATES, WORKFLOW_STATES } from '../../src/workflow/states.js';
import { makeTheme } from '../../src/render/theme.js';
import { stripAnsi, visibleWidth } from '../../src/render/text.js';
import { boxChar, U, D, L, R } from '../../src/render/dag-model.js';
import { rng } from '../analysis/candles/bars-fixtures.js';

const diamond: DagNode[] = [
  { id: 'train', label: 'train', deps: ['features', 'signals'], status: 'PENDING' },
  { id: 'download', label: 'download', deps: [], status: 'SUCCESS', duration: '1.2s' },
  { id: 'signals', label: 'signals', deps: ['download'], status: 'RUNNING_EXECUTION', progress: 0.5 },
  { id: 'features', label: 'features', deps: ['download'], status: 'FAILURE', note: 'retry 1/3' },
];

describe('status glyphs', () => {
  it('every task and workflow state has its own glyph and label', () => {
    for (const s of [...TASK_STATES, ...WORKFLOW_STATES, 'PENDING']) {
      expect(STATUS_STYLES[s], s).toBeDefined();
      expect(statusStyle(s).glyph).not.toBe('?');
    }
    const glyphs = TASK_STATES.map((s) => STATUS_STYLES[s]!.glyph);
    expect(new Set(glyphs).size).toBe(glyphs.length);
  });
});

describe('git-graph DAG', () => {
  it('puts one task a row in topological order with fork and merge lanes', () => {
    const r = renderDag(diamond, { width: 60, selected: 'features' });
    expect(r.order).toEqual(['download', 'signals', 'features', 'train']);
    expect(r.lines.map((l) => l.trimEnd())).toEqual([
      ' ✔─╮  download                                  1.2s success',
      ' ● │  signals                     ███░░░  50%        running',
      '›│ ✖  features                      retry 1/3        failed',
      ' ○─╯  train                                          pending',
    ]);
    for (const l of r.lines) expect(visibleWidth(l)).toBe(60);
    expect(r.rowOf.get('train')).toBe(3);
  });

  it('shows the spinner frame for running tasks and SageMaker steps under their task', () => {
    const nodes: DagNode[] = [
      { id: 'a', label: 'prep', deps: [], status: 'SUCCESS' },
      { id: 'b', label: 'fit', deps: ['a'], status: 'RUNNING_EXECUTION', steps: [{ name: 'TrainStep', status: 'RUNNING_EXECUTION' }, { name: 'Eval', status: 'PENDING' }] },
    ];
    const r = renderDag(nodes, { width: 60, spinnerFrame: 3 });
    expect(r.lines[1]).toContain('⠸');
    expect(r.lines[2]).toContain('⠸ TrainStep');
    expect(r.lines[3]).toContain('○ Eval');
    expect(r.idAt).toEqual(['a', 'b', undefined, undefined]);
  });

  it('draws only the viewport it is asked for, the same lines as a full render, with every task indexed', () => {
    const nodes: DagNode[] = [{ id: 'root', label: 'root', deps: [], status: 'SUCCESS' }];
    for (let i = 0; i < 30; i++)
      nodes.push({ id: `t${i}`, label: `t${i}`, deps: [i % 3 ? `t${i - 1}` : 'root'], status: 'RUNNING_EXECUTION', steps: i === 10 ? [{ name: 'S', status: 'PENDING' }] : undefined });
    const full = renderDag(nodes, { width: 70, spinnerFrame: 2 });
    let asked: Map<string, number> | undefined;
    const part = renderDag(nodes, {
      width: 70,
      spinnerFrame: 2,
      viewport: (rowOf) => {
        asked = rowOf;
        return [rowOf.get('t9')!, rowOf.get('t9')! + 4];
      },
    });
    expect(asked).toEqual(full.rowOf);
    expect(part.idAt).toEqual(full.idAt);
    expect(part.lines).toHaveLength(full.lines.length);
    const from = full.rowOf.get('t9')!;
    expect(part.lines.slice(from, from + 4)).toEqual(full.lines.slice(from, from + 4));
    expect(part.lines[from + 2]).toContain('○ S'); // t10's step line
    expect(part.lines.slice(0, from).every((l) => l === '')).toBe(true);
    expect(part.lines.slice(from + 4).every((l) => l === '')).toBe(true);
  });

  it('caps the lanes and summarises the rest', () => {
    const nodes: DagNode[] = [{ id: 'root', label: 'root', deps: [], status: 'SUCCESS' }];
    for (let i = 0; i < 10; i++) nodes.push({ id: `t${i}`, label: `t${i}`, deps: ['root'], status: 'PENDING' });
    const r = renderDag(nodes, { width: 80, maxLanes: 4 });
    expect(r.lines[0]).toMatch(/\+\d/);
    for (const l of r.lines) expect(visibleWidth(l)).toBe(80);
  });

  it('colours status glyphs when the theme has colour, never only colour', () => {
    const r = renderDag(diamond, { width: 60, theme: makeTheme({ color: true }) });
    expect(r.lines[0]).toContain('\x1b[32m✔');
    expect(r.lines[2]).toContain('\x1b[31m✖');
  });
});

describe('layered box DAG', () => {
  it('lays layers left to right with boxes and arrows, and says whether it fits', () => {
    const r = renderDagBoxes(diamond, { width: 100 });
    const text = r.lines.join('\n');
    expect(r.fits).toBe(true);
    expect(text).toContain('│ ✔ download');
    expect(text).toContain('▸│ ✖ features');
    expect(text).toContain('▸│ ○ train');
    // download is in the first column, train in the last.
    const row = r.lines.find((l) => l.includes('download'))!;
    expect(row.indexOf('download')).toBeLessThan(10);
    expect(r.lines.find((l) => l.includes('train'))!.indexOf('train')).toBeGreaterThan(row.indexOf('download') + 30);
    expect(renderDagBoxes(diamond, { width: 30 }).fits).toBe(false);
  });

  it('in colour draws the same characters, with one style code a run of cells rather than a cell', () => {
    const plain = renderDagBoxes(diamond, { width: 100, selected: 'signals' }).lines;
    const colour = renderDagBoxes(diamond, { width: 100, selected: 'signals', theme: makeTheme({ color: true }) }).lines;
    expect(colour.map(stripAnsi)).toEqual(plain);
    const box = colour.find((l) => l.includes('features'))!;
    expect(box).toContain('\x1b[31m'); // the failed task's box is red
    expect((box.match(/\x1b\[/g) ?? []).length).toBeLessThan(12);
  });

  it('draws every edge, and lines of two tasks meet only at crossings or into a common child (random DAGs)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      // Every tenth DAG is larger, so some gaps have more than 6 lanes.
      const n = 3 + Math.floor(r() * (seed % 10 === 0 ? 30 : 12));
      const nodes: DagNode[] = [];
      for (let i = 0; i < n; i++) {
        const deps = nodes.filter(() => r() < 0.25).slice(0, 3).map((x) => x.id);
        nodes.push({ id: `t${i}`, label: `t${i}`, deps, status: 'SUCCESS' });
      }
      const { lines, owners } = renderDagBoxes(nodes, { width: 1000, owners: true });
      const why = (what: string) => `seed ${seed}: ${what}\n${lines.join('\n')}`;
      // Following the lines out of each task reaches every one of its children.
      const reached = edgeTracer(lines);
      for (const node of nodes)
        for (const c of nodes.filter((x) => x.deps.includes(node.id))) expect(reached(node.id), why(`${node.id} -> ${c.id} missing`)).toContain(c.id);
      // Lines of two tasks share a cell only where they cross (one straight across, the other
      // straight down) or where both run into a common child; never where they could be mistaken
      // for one another.
      for (const [cell, here] of owners!) {
        const sources = [...new Set(here.map((o) => o.source))];
        if (sources.length < 2) continue;
        const ways = (src: string) => here.filter((o) => o.source === src).reduce((m, o) => m | o.mask, 0);
        const intoCommon = (group: string[]) =>
          group.length < 2 || here.some((o) => o.target !== '*' && group.every((src) => here.some((p) => p.source === src && p.target === o.target)));
        const down = sources.filter((src) => ways(src) === (U | D));
        const across = sources.filter((src) => ways(src) === (L | R));
        const crossing = down.length === 1 && across.length === sources.length - 1 && intoCommon(across);
        expect(crossing || intoCommon(sources), why(`${sources.join(' and ')} share ${cell}: ${JSON.stringify(here)}`)).toBe(true);
      }
    }
  });
});

/** For a plain box layout: the tasks reached following the lines out of a task's box, every way at every junction. */
function edgeTracer(lines: string[]): (id: string) => string[] {
  const grid = lines.map((l) => [...l]);
  const at = (x: number, y: number) => grid[y]?.[x] ?? ' ';
  const maskOf = new Map<string, number>();
  for (let m = 1; m < 16; m++) maskOf.set(boxChar(m), m);
  // Boxes: a label row `│ ✔ name │` between a top `┌` and a bottom `└`; their cells are walls.
  const boxes: { x0: number; x1: number; y: number; label: string }[] = [];
  grid.forEach((row, y) =>
    row.forEach((ch, x) => {
      if (ch !== '┌') return;
      let x1 = x + 1;
      while (at(x1, y) !== '┐') x1++;
      boxes.push({ x0: x, x1, y, label: grid[y + 1]!.slice(x + 4, x1).join('').trim() });
    }),
  );
  const boxAt = new Map<string, (typeof boxes)[number]>();
  for (const b of boxes) for (let y = b.y; y <= b.y + 2; y++) for (let x = b.x0; x <= b.x1; x++) boxAt.set(`${x},${y}`, b);
  const inBox = (x: number, y: number) => boxAt.get(`${x},${y}`);
  return (id) => {
    const from = boxes.find((b) => b.label === id)!;
    const found = new Set<string>();
    const seen = new Set<string>();
    const step: Record<number, [number, number]> = { [U]: [0, -1], [D]: [0, 1], [L]: [-1, 0], [R]: [1, 0] };
    const back: Record<number, number> = { [U]: D, [D]: U, [L]: R, [R]: L };
    const todo: [number, number, number][] = [[from.x1 + 1, from.y + 1, R]];
    while (todo.length) {
      const [x, y, dir] = todo.pop()!;
      const key = `${x},${y},${dir}`;
      if (seen.has(key) || inBox(x, y)) continue;
      seen.add(key);
      const ch = at(x, y);
      if (ch === '▸') {
        const t = inBox(x + 1, y);
        if (t) found.add(t.label);
        continue;
      }
      const m = maskOf.get(ch);
      if (!m || !(m & back[dir]!)) continue; // the line does not come in this way
      const outs = [U, D, L, R].filter((d) => m & d && d !== back[dir]);
      for (const d of outs) todo.push([x + step[d]![0], y + step[d]![1], d]);
    }
    return [...found].sort();
  };
}

