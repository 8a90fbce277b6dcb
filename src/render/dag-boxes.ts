/**
 * The layered box layout (Sugiyama-lite): longest-path layers as columns left to right, dummy
 * slots for edges that skip layers, one barycenter pass down and one up to order each layer, boxes
 * of three rows, and orthogonal edges in the gaps drawn on a direction-mask canvas with an arrow
 * into the target. `fits` says whether it fits the width; `offsetX` pans horizontally.
 */
import { plainTheme, type Theme, type Token } from './theme.js';
import { statusGlyph, statusStyle } from './status.js';
import { fit, truncate, visibleWidth } from './text.js';
import { topoSort, childrenOf, boxChar, U, D, L, R, type DagNode } from './dag-model.js';

export interface BoxLayoutOptions {
  width: number;
  theme?: Theme;
  selected?: string;
  spinnerFrame?: number;
  offsetX?: number;
  boxWidth?: number;
  /** As in renderDag: the layering is cached while this object stays the same. */
  layoutKey?: object;
}

const layerCache = new WeakMap<object, ReturnType<typeof layerNodes>>();

interface Slot {
  id: string; // node id, or `~dummy` ids
  dummy: boolean;
}

export function layerNodes(nodes: DagNode[]): { layers: Slot[][]; edges: [string, string][] } {
  const order = topoSort(nodes);
  const ids = new Set(nodes.map((n) => n.id));
  const layerOf = new Map<string, number>();
  for (const n of order) {
    let l = 0;
    for (const d of n.deps) if (ids.has(d) && layerOf.has(d)) l = Math.max(l, layerOf.get(d)! + 1);
    layerOf.set(n.id, l);
  }
  const nLayers = Math.max(0, ...layerOf.values()) + 1;
  const layers: Slot[][] = Array.from({ length: nLayers }, () => []);
  for (const n of order) layers[layerOf.get(n.id)!]!.push({ id: n.id, dummy: false });
  // Split long edges into unit edges through dummy slots.
  const edges: [string, string][] = [];
  const children = childrenOf(nodes);
  let dummyNo = 0;
  for (const n of order) {
    for (const c of children.get(n.id)!) {
      let prev = n.id;
      for (let l = layerOf.get(n.id)! + 1; l < layerOf.get(c)!; l++) {
        const id = `~${dummyNo++}`;
        layers[l]!.push({ id, dummy: true });
        edges.push([prev, id]);
        prev = id;
      }
      edges.push([prev, c]);
    }
  }
  // Barycenter ordering: down then up.
  const pos = new Map<string, number>();
  const setPos = () => layers.forEach((ly) => ly.forEach((s, i) => pos.set(s.id, i)));
  setPos();
  const ups = new Map<string, string[]>();
  const downs = new Map<string, string[]>();
  for (const [a, b] of edges) {
    (ups.get(b) ?? ups.set(b, []).get(b)!).push(a);
    (downs.get(a) ?? downs.set(a, []).get(a)!).push(b);
  }
  const bary = (id: string, nb: Map<string, string[]>) => {
    const xs = (nb.get(id) ?? []).map((x) => pos.get(x)!).filter((x) => x !== undefined);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : pos.get(id)!;
  };
  for (let l = 1; l < layers.length; l++) {
    layers[l]!.sort((a, b) => bary(a.id, ups) - bary(b.id, ups));
    setPos();
  }
  for (let l = layers.length - 2; l >= 0; l--) {
    layers[l]!.sort((a, b) => bary(a.id, downs) - bary(b.id, downs));
    setPos();
  }
  return { layers, edges };
}

interface Cell {
  ch: string;
  mask: number;
  tok?: Token;
}

export function renderDagBoxes(nodes: DagNode[], opts: BoxLayoutOptions): { lines: string[]; fits: boolean; totalWidth: number } {
  const theme = opts.theme ?? plainTheme;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let layered = opts.layoutKey ? layerCache.get(opts.layoutKey) : undefined;
  if (!layered) {
    layered = layerNodes(nodes);
    if (opts.layoutKey) layerCache.set(opts.layoutKey, layered);
  }
  const { layers, edges } = layered;
  const longest = Math.max(4, ...nodes.map((n) => visibleWidth(n.label)));
  const bw = Math.min(opts.boxWidth ?? 22, longest + 6);
  const gap = 6;
  const slotH = 4;
  const totalW = layers.length * bw + Math.max(0, layers.length - 1) * gap;
  const totalH = Math.max(1, ...layers.map((l) => l.length)) * slotH;
  const canvas: Cell[][] = Array.from({ length: totalH }, () => Array.from({ length: totalW }, () => ({ ch: ' ', mask: 0 })));
  const where = new Map<string, { x: number; y: number }>();
  layers.forEach((ly, l) => ly.forEach((s, i) => where.set(s.id, { x: l * (bw + gap), y: i * slotH })));
  const put = (x: number, y: number, ch: string, tok?: Token) => {
    if (y >= 0 && y < totalH && x >= 0 && x < totalW) canvas[y]![x] = { ch, mask: 0, tok };
  };
  const line = (x: number, y: number, m: number) => {
    if (y < 0 || y >= totalH || x < 0 || x >= totalW) return;
    const c = canvas[y]![x]!;
    c.mask |= m;
    c.ch = boxChar(c.mask);
    c.tok = 'dim';
  };
  // Edges between adjacent layers.
  for (const [a, b] of edges) {
    const pa = where.get(a)!;
    const pb = where.get(b)!;
    const ya = pa.y + 1;
    const yb = pb.y + 1;
    const x0 = pa.x + bw;
    const xm = x0 + Math.floor(gap / 2);
    for (let x = x0; x < xm; x++) line(x, ya, x === x0 && a.startsWith('~') ? L | R : L | R);
    if (ya === yb) line(xm, ya, L | R);
    else {
      line(xm, ya, L | (yb > ya ? D : U));
      for (let y = Math.min(ya, yb) + 1; y < Math.max(ya, yb); y++) line(xm, y, U | D);
      line(xm, yb, R | (yb > ya ? U : D));
    }
    for (let x = xm + 1; x < pb.x - 1; x++) line(x, yb, L | R);
    if (!b.startsWith('~')) put(pb.x - 1, yb, '▸', 'dim');
    else line(pb.x - 1, yb, L | R);
  }
  // Boxes and dummy pass-throughs.
  layers.forEach((ly) =>
    ly.forEach((s) => {
      const { x, y } = where.get(s.id)!;
      if (s.dummy) {
        for (let i = 0; i < bw; i++) line(x + i, y + 1, L | R);
        return;
      }
      const n = byId.get(s.id)!;
      const sel = opts.selected === s.id;
      const tok: Token = sel ? 'accent' : statusStyle(n.status).token;
      const [tl, tr, bl, br, h, v] = sel ? ['┏', '┓', '┗', '┛', '━', '┃'] : ['┌', '┐', '└', '┘', '─', '│'];
      put(x, y, tl!, tok);
      put(x + bw - 1, y, tr!, tok);
      put(x, y + 2, bl!, tok);
      put(x + bw - 1, y + 2, br!, tok);
      for (let i = 1; i < bw - 1; i++) {
        put(x + i, y, h!, tok);
        put(x + i, y + 2, h!, tok);
      }
      put(x, y + 1, v!, tok);
      put(x + bw - 1, y + 1, v!, tok);
      const glyph = statusGlyph(n.status, theme, opts.spinnerFrame);
      const label = truncate(n.label, bw - 5);
      // The glyph may carry ANSI; store it as one cell.
      canvas[y + 1]![x + 2] = { ch: glyph, mask: 0 };
      let cx = x + 4;
      for (const ch of label) {
        if (cx >= x + bw - 1) break;
        put(cx++, y + 1, ch, sel ? 'title' : undefined);
      }
    }),
  );
  const off = Math.max(0, Math.min(opts.offsetX ?? 0, Math.max(0, totalW - opts.width)));
  const lines: string[] = [];
  for (const row of canvas) {
    const cells = row.slice(off, off + opts.width);
    let s = '';
    for (const c of cells) s += c.tok ? theme.paint(c.tok, c.ch) : c.ch;
    lines.push(fit(s, opts.width));
  }
  // Drop trailing blank rows.
  while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return { lines, fits: totalW <= opts.width, totalWidth: totalW };
}
