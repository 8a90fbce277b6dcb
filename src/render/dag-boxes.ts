/**
 * The layered box layout (Sugiyama-lite): longest-path layers as columns left to right, dummy
 * slots for edges that skip layers, one barycenter pass down and one up to order each layer, boxes
 * of three rows with every other layer half a slot lower, and orthogonal edges in the gaps (a lane
 * for each source, see routeChannel) drawn on a direction-mask canvas with an arrow into the
 * target. `fits` says whether it fits the width; `offsetX` pans horizontally.
 */
import { paintRuns, plainTheme, type Theme, type Token } from './theme.js';
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
  /** For tests: also return which task's lines (to which task) each drawn cell carries. */
  owners?: boolean;
}

/** A piece of an edge drawn in a cell: whose line it is, to where (`*` for a source's exit and lane), which ways it runs. */
export interface CellOwner {
  source: string;
  target: string;
  mask: number;
}

const layerCache = new WeakMap<object, ReturnType<typeof layerNodes>>();

interface Slot {
  id: string; // node id, or `~dummy` ids
  dummy: boolean;
}

export function layerNodes(nodes: DagNode[]): { layers: Slot[][]; edges: [string, string][]; chainOf: Map<string, [string, string]> } {
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
  const chainOf = new Map<string, [string, string]>(); // dummy -> the edge it carries
  for (const n of order) {
    for (const c of children.get(n.id)!) {
      let prev = n.id;
      for (let l = layerOf.get(n.id)! + 1; l < layerOf.get(c)!; l++) {
        const id = `~${dummyNo++}`;
        layers[l]!.push({ id, dummy: true });
        chainOf.set(id, [n.id, c]);
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
  return { layers, edges, chainOf };
}

interface Cell {
  ch: string;
  mask: number;
  tok?: Token;
}

interface Net {
  id: string;
  /** The source's exit row. */
  row: number;
  targets: { id: string; row: number; dummy: boolean }[];
  /** Its vertical lane in the gap (0 = leftmost). */
  lane?: number;
  /** The rows its lane spans. */
  span?: readonly [number, number];
}

/**
 * The edges from one layer to the next as nets (a source and its targets), each net with a lane
 * of its own in the gap: its exit runs along its source's row to the lane, and its edges run from
 * the lane along the targets' rows into them. The layers' rows are staggered, so an exit row is
 * never an entry row, and lines of two nets meet only where they cross or where both run into the
 * same target. Lanes are ordered for the fewest crossings: every order is tried for up to 6 lanes;
 * beyond that, from top to bottom, neighbours swap while that removes crossings.
 */
function routeChannel(edges: [string, string][], layer: Slot[], rowOf: Map<string, number>): { nets: Net[]; lanes: number } {
  const nets: Net[] = [];
  for (const s of layer) {
    const targets = edges.filter(([a]) => a === s.id).map(([, b]) => ({ id: b, row: rowOf.get(b)!, dummy: b.startsWith('~') }));
    if (targets.length) nets.push({ id: s.id, row: rowOf.get(s.id)!, targets });
  }
  let best = nets;
  let bestCost = crossings(nets);
  if (nets.length > 1 && nets.length <= 6) {
    for (const order of permutations(nets)) {
      const c = crossings(order);
      if (c < bestCost) [best, bestCost] = [order, c];
    }
  } else {
    // Too many orders to try: swap neighbouring lanes while that removes crossings.
    best = nets.slice();
    for (let improved = true; improved; ) {
      improved = false;
      for (let i = 0; i + 1 < best.length; i++) {
        const swapped = [...best.slice(0, i), best[i + 1]!, best[i]!, ...best.slice(i + 2)];
        const c = crossings(swapped);
        if (c < bestCost) [best, bestCost, improved] = [swapped, c, true];
      }
    }
  }
  best.forEach((n, i) => (n.lane = i));
  return { nets, lanes: best.length };
}

/** How many times the nets' lines cross with the lanes in this order, left to right. */
function crossings(order: Net[]): number {
  const span = (n: Net) => (n.span ??= [Math.min(n.row, ...n.targets.map((t) => t.row)), Math.max(n.row, ...n.targets.map((t) => t.row))]);
  const inside = (y: number, [top, bottom]: readonly [number, number]) => y > top && y < bottom;
  let count = 0;
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const a = order[i]!; // the left lane
      const b = order[j]!;
      // a's lines into its targets run right, across b's lane; b's exit runs left, across a's.
      for (const t of a.targets) if (inside(t.row, span(b))) count++;
      if (inside(b.row, span(a))) count++;
    }
  }
  return count;
}

function* permutations<T>(xs: T[]): Generator<T[]> {
  if (xs.length <= 1) {
    yield xs.slice();
    return;
  }
  for (let i = 0; i < xs.length; i++) for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) yield [xs[i]!, ...rest];
}

const geometryCache = new WeakMap<object, ReturnType<typeof geometry>>();

/** Where every slot and lane goes, for boxes `bw` wide: the same while the graph's shape is. */
function geometry(layered: ReturnType<typeof layerNodes>, bw: number) {
  const { layers, edges } = layered;
  const slotH = 4;
  // Every other layer sits half a slot lower, so a box's exit row is never a row where the next
  // layer is entered: two sources' lines can then only meet at a crossing or in a common target.
  const drop = (l: number) => (l % 2) * (slotH / 2);
  const rowOf = new Map<string, number>();
  layers.forEach((ly, l) => ly.forEach((s, i) => rowOf.set(s.id, i * slotH + drop(l) + 1)));
  const channels = layers.slice(0, -1).map((_, l) => routeChannel(edges, layers[l]!, rowOf));
  // Each gap is as wide as its lanes need: an exit stub, one column a lane, then the arrow.
  const gaps = channels.map((c) => Math.max(6, c.lanes + 3));
  const xOf: number[] = [];
  let x = 0;
  layers.forEach((_, l) => {
    xOf.push(x);
    x += bw + (gaps[l] ?? 0);
  });
  const where = new Map<string, { x: number; y: number }>();
  layers.forEach((ly, l) => ly.forEach((s, i) => where.set(s.id, { x: xOf[l]!, y: i * slotH + drop(l) })));
  const boxTop = new Map<string, number>();
  for (const [id, p] of where) if (!id.startsWith('~')) boxTop.set(id, p.y);
  return { bw, channels, xOf, where, boxTop, totalW: x, totalH: Math.max(1, ...layers.map((ly, l) => ly.length * slotH + drop(l))) };
}

export function renderDagBoxes(
  nodes: DagNode[],
  opts: BoxLayoutOptions,
): { lines: string[]; fits: boolean; totalWidth: number; /** Each task's box: its top row. */ boxTop: Map<string, number>; owners?: Map<string, CellOwner[]> } {
  const theme = opts.theme ?? plainTheme;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let layered = opts.layoutKey ? layerCache.get(opts.layoutKey) : undefined;
  if (!layered) {
    layered = layerNodes(nodes);
    if (opts.layoutKey) layerCache.set(opts.layoutKey, layered);
  }
  const { layers, chainOf } = layered;
  const realSource = (id: string) => chainOf.get(id)?.[0] ?? id;
  const realTarget = (id: string) => chainOf.get(id)?.[1] ?? id;
  const owners = opts.owners ? new Map<string, CellOwner[]>() : undefined;
  let owner: { source: string; target: string } = { source: '', target: '' };
  const longest = Math.max(4, ...nodes.map((n) => visibleWidth(n.label)));
  const bw = Math.min(opts.boxWidth ?? 22, longest + 6);
  let geo = opts.layoutKey ? geometryCache.get(opts.layoutKey) : undefined;
  if (!geo || geo.bw !== bw) {
    geo = geometry(layered, bw);
    if (opts.layoutKey) geometryCache.set(opts.layoutKey, geo);
  }
  const { channels, xOf, totalW, totalH, where } = geo;
  const canvas: Cell[][] = Array.from({ length: totalH }, () => Array.from({ length: totalW }, () => ({ ch: ' ', mask: 0 })));
  const put = (x: number, y: number, ch: string, tok?: Token) => {
    if (y >= 0 && y < totalH && x >= 0 && x < totalW) canvas[y]![x] = { ch, mask: 0, tok };
  };
  const line = (x: number, y: number, m: number) => {
    if (y < 0 || y >= totalH || x < 0 || x >= totalW) return;
    const c = canvas[y]![x]!;
    c.mask |= m;
    if (owners) (owners.get(`${x},${y}`) ?? owners.set(`${x},${y}`, []).get(`${x},${y}`)!).push({ ...owner, mask: m });
    c.ch = boxChar(c.mask);
    c.tok = 'dim';
  };
  const hline = (x0: number, x1: number, y: number) => {
    for (let x = x0; x <= x1; x++) line(x, y, (x > x0 ? L : 0) | (x < x1 ? R : 0));
  };
  // Edges in each gap: a source's edges share its own lane (a fork), and an edge into a box ends
  // in an arrow (into a dummy slot, its line runs on through the slot).
  channels.forEach((ch, l) => {
    const x0 = xOf[l]! + bw;
    const xEnd = xOf[l + 1]! - 1; // the arrow's column
    for (const net of ch.nets) {
      const lx = x0 + 1 + net.lane!;
      owner = { source: realSource(net.id), target: '*' };
      hline(x0, lx, net.row);
      line(x0, net.row, L); // joined to the box (or to a dummy slot's line)
      const ys = [net.row, ...net.targets.map((t) => t.row)];
      const top = Math.min(...ys);
      const bottom = Math.max(...ys);
      for (let y = top; y <= bottom; y++) line(lx, y, (y > top ? U : 0) | (y < bottom ? D : 0));
      for (const t of net.targets) {
        owner = { source: realSource(net.id), target: realTarget(t.id) };
        hline(lx, xEnd - 1, t.row);
        // A dummy slot's line starts right after the arrow's column.
        if (t.dummy) hline(xEnd - 1, xEnd + 1, t.row);
        else {
          line(xEnd - 1, t.row, R);
          put(xEnd, t.row, '▸', 'dim');
        }
      }
    }
  });
  // Boxes and dummy pass-throughs.
  layers.forEach((ly) =>
    ly.forEach((s) => {
      const { x, y } = where.get(s.id)!;
      if (s.dummy) {
        owner = { source: realSource(s.id), target: realTarget(s.id) };
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
    lines.push(fit(paintRuns(row.slice(off, off + opts.width), theme), opts.width));
  }
  // Drop trailing blank rows.
  while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return { lines, fits: totalW <= opts.width, totalWidth: totalW, boxTop: geo.boxTop, owners };
}
