/**
 * The DAG as a vertical git-graph: one task a row in topological order, a lane per open edge in
 * a gutter on the left (merges `╯`, forks `╮`, crossings `┼`), the task's status glyph where its
 * lane is, then its name, progress bar, note, duration and state. After sapling's renderdag idea;
 * written from scratch. Lanes beyond `maxLanes` are cut and summarised as `+N`.
 */
import { plainTheme, type Theme } from './theme.js';
import { statusGlyph, statusStyle } from './status.js';
import { fit, progressBar, visibleWidth } from './text.js';
import { topoSort, childrenOf, boxChar, U, D, L, R, type DagNode } from './dag-model.js';

export type { DagNode, DagStep } from './dag-model.js';

export interface DagRenderOptions {
  width: number;
  theme?: Theme;
  selected?: string;
  spinnerFrame?: number;
  maxLanes?: number;
  /**
   * An object that stays the same while the graph's shape does (e.g. the task list): the lane
   * layout is then computed once and reused for every status update.
   */
  layoutKey?: object;
  /**
   * The lines the caller shows, from the line index of every task: lines outside [from, to) are
   * left empty (a screen shows 20 of a DAG's hundreds of lines, on every frame).
   */
  viewport?: (rowOf: Map<string, number>) => [from: number, to: number];
}

const layoutCache = new WeakMap<object, ReturnType<typeof layoutLanes>>();

export interface DagRender {
  lines: string[];
  /** The node id of each line (undefined for step lines). */
  idAt: (string | undefined)[];
  rowOf: Map<string, number>;
  order: string[];
}

interface GutterRow {
  masks: number[]; // per cell (2 per lane)
  nodeCell: number; // -1 for step rows
}

export function layoutLanes(nodes: DagNode[]): { order: DagNode[]; rows: GutterRow[]; after: number[][] } {
  const order = topoSort(nodes);
  const children = childrenOf(nodes);
  const lanes: (string | null)[] = [];
  const rows: GutterRow[] = [];
  const after: number[][] = []; // active lane indexes after each row (for step rows)
  for (const n of order) {
    const incoming: number[] = [];
    lanes.forEach((t, j) => {
      if (t === n.id) incoming.push(j);
    });
    let c: number;
    if (incoming.length === 0) {
      c = lanes.indexOf(null);
      if (c < 0) c = lanes.length;
      lanes[c] = n.id;
    } else c = incoming[0]!;
    const before = lanes.map((t) => t !== null);
    const merged = incoming.slice(1);
    const kids = children.get(n.id) ?? [];
    for (const j of merged) lanes[j] = null;
    lanes[c] = kids[0] ?? null;
    const fresh: number[] = [];
    for (const k of kids.slice(1)) {
      let j = -1;
      for (let x = c + 1; x < lanes.length; x++) if (lanes[x] === null) { j = x; break; }
      if (j < 0) j = lanes.length;
      lanes[j] = k;
      fresh.push(j);
    }
    const width = lanes.length;
    const masks = new Array<number>(width * 2).fill(0);
    for (let j = 0; j < width; j++) {
      if (j === c) continue;
      const wasActive = before[j] ?? false;
      const isMerged = merged.includes(j);
      const isFresh = fresh.includes(j);
      if (isMerged || isFresh) {
        let m = (isMerged ? U : 0) | (isFresh ? D : 0);
        m |= j > c ? L : R;
        masks[j * 2] = m;
      } else if (wasActive && lanes[j] !== null) masks[j * 2] = U | D;
    }
    const targets = [...merged, ...fresh];
    if (targets.length) {
      const hi = Math.max(c, ...targets);
      const lo = Math.min(c, ...targets);
      for (let x = lo * 2; x <= hi * 2; x++) {
        if (x === c * 2) continue;
        if (x % 2 === 1) masks[x] = L | R;
        else if (!targets.includes(x / 2)) masks[x] = masks[x]! | L | R;
      }
    }
    rows.push({ masks, nodeCell: c * 2 });
    while (lanes.length && lanes[lanes.length - 1] === null) lanes.pop();
    after.push(lanes.map((t, j) => (t !== null ? j : -1)).filter((j) => j >= 0));
  }
  return { order, rows, after };
}

function rightSide(n: DagNode, theme: Theme, compact: boolean): string {
  const parts: string[] = [];
  if (n.note) parts.push(theme.paint('warn', n.note));
  if (n.progress !== undefined && Number.isFinite(n.progress)) {
    const pct = `${Math.round(n.progress * 100)}%`.padStart(4);
    parts.push(theme.paint('run', progressBar(n.progress, compact ? 6 : 10)) + ' ' + pct);
  }
  parts.push((n.duration ?? '').padStart(6));
  parts.push(theme.paint(statusStyle(n.status).token, statusStyle(n.status).label.padEnd(compact ? 7 : 9).slice(0, compact ? 7 : 14)));
  return parts.join(' ');
}

export function renderDag(nodes: DagNode[], opts: DagRenderOptions): DagRender {
  const theme = opts.theme ?? plainTheme;
  const width = Math.max(30, Math.floor(opts.width));
  const maxLanes = opts.maxLanes ?? 6;
  let layout = opts.layoutKey ? layoutCache.get(opts.layoutKey) : undefined;
  if (!layout) {
    layout = layoutLanes(nodes);
    if (opts.layoutKey) layoutCache.set(opts.layoutKey, layout);
  }
  const { rows, after } = layout;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const order = layout.order.map((n) => byId.get(n.id) ?? n);
  const lanesUsed = Math.max(1, ...rows.map((r) => Math.ceil(r.masks.length / 2)));
  const shownLanes = Math.min(lanesUsed, maxLanes);
  const gutterW = shownLanes * 2 + (lanesUsed > maxLanes ? 3 : 0);
  const compact = width < 100;
  const lines: string[] = [];
  const idAt: (string | undefined)[] = [];
  const rowOf = new Map<string, number>();
  for (const n of order) {
    rowOf.set(n.id, idAt.length);
    idAt.push(n.id);
    for (let k = 0; k < (n.steps?.length ?? 0); k++) idAt.push(undefined);
  }
  const [from, to] = opts.viewport ? opts.viewport(rowOf) : [0, idAt.length];

  const gutterText = (masks: number[], nodeCell: number, glyph: string): string => {
    // Lane glyphs are dimmed in runs (one SGR pair a run, not a pair a cell: less for the
    // terminal, and for Ink, to chew on every frame); blanks around them stay unstyled.
    let s = '';
    let run = '';
    const flush = () => {
      const body = run.trimEnd();
      if (body) s += theme.paint('dim', body);
      s += run.slice(body.length);
      run = '';
    };
    let hidden = 0;
    for (let x = 0; x < masks.length; x++) {
      if (x >= shownLanes * 2) {
        if (x % 2 === 0 && masks[x]) hidden++;
        continue;
      }
      if (x === nodeCell) {
        flush();
        s += glyph;
      } else if (run || masks[x]) run += masks[x] ? boxChar(masks[x]!) : ' ';
      else s += ' ';
    }
    if (hidden) run += `+${hidden}`;
    flush();
    return fit(s, gutterW);
  };

  order.forEach((n, i) => {
    const first = rowOf.get(n.id)!;
    if (first + (n.steps?.length ?? 0) < from || first >= to) {
      for (let k = 0; k <= (n.steps?.length ?? 0); k++) lines.push('');
      return;
    }
    const row = rows[i]!;
    const sel = opts.selected === n.id;
    const glyph = statusGlyph(n.status, theme, opts.spinnerFrame);
    const gutter = gutterText(row.masks, row.nodeCell, row.nodeCell >= shownLanes * 2 ? '' : glyph);
    const right = rightSide(n, theme, compact);
    const indent = '  '.repeat(n.indent ?? 0) + (n.indent ? '↳ ' : '');
    const pointer = sel ? '›' : ' ';
    const leftW = width - visibleWidth(right) - 1;
    const name = sel ? theme.paint('sel', ` ${indent}${n.label} `) : ` ${indent}${n.label} `;
    const left = fit(pointer + gutter + name, Math.max(10, leftW));
    lines.push(fit(left + ' ' + right, width));
    for (const st of n.steps ?? []) {
      const masks = new Array<number>(row.masks.length).fill(0);
      for (const j of after[i]!) masks[j * 2] = U | D;
      const g = gutterText(masks, -1, '');
      const text = `    ${statusGlyph(st.status, theme, opts.spinnerFrame)} ${st.name}`;
      const r = `${st.note ? st.note + ' ' : ''}${theme.paint(statusStyle(st.status).token, statusStyle(st.status).label)}`;
      const lw = width - visibleWidth(r) - 1;
      lines.push(fit(fit(' ' + g + text, Math.max(10, lw)) + ' ' + r, width));
    }
  });
  return { lines, idAt, rowOf, order: order.map((n) => n.id) };
}
