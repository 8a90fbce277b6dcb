import type { State } from '../state.js';
import { listHeight } from '../state.js';
import { renderTable } from '../../render/table.js';
import { formatDate } from '../../render/text.js';
import { frameLines, scrollCue, type ViewCtx } from './common.js';

export function patternsView(s: State, ctx: ViewCtx): string[] {
  const { theme, width, height } = ctx;
  const p = s.patterns;
  const h = listHeight(s, 'patterns');
  if (p.occ) {
    const o = p.occ;
    const rows = o.items.map((x) => [x.code, formatDate(x.date), x.value > 0 ? theme.paint('bull', '▲ bullish') : theme.paint('bear', '▼ bearish'), String(x.value)]);
    const head = `${theme.paint('title', o.name)} · last ${p.window} bars · ${scrollCue(o.top, h - 1, o.items.length)} · enter: chart · esc: back`;
    return frameLines([head, ...renderTable([{ title: 'code', width: 10 }, { title: 'date', width: 10 }, { title: 'signal', width: 9 }, { title: 'value', align: 'right', flex: true }], rows, { width, theme, selected: o.sel, offset: o.top, limit: h - 1 })], width, height);
  }
  if (p.items.length === 0) return frameLines([p.loading ?? 'loading the pattern catalog…'], width, height);
  const max = Math.max(1, ...p.items.map((x) => x.recent));
  const barW = width >= 100 ? 20 : 10;
  const rows = p.items.map((x) => [
    x.name,
    x.english,
    x.direction,
    String(x.recent),
    theme.paint(x.direction === 'bearish' ? 'bear' : 'bull', '█'.repeat(Math.round((x.recent / max) * barW))),
  ]);
  const lines = renderTable(
    [{ title: 'pattern', width: 20 }, { title: 'name', flex: true }, { title: 'dir', width: 7 }, { title: `last ${p.window}d`, align: 'right', width: 8 }, { title: '', width: barW }],
    rows,
    { width, theme, selected: p.sel, offset: p.top, limit: h },
  );
  const foot = theme.paint('dim', `${p.loading ?? `fires across the market in the last ${p.window} bars`} · ${scrollCue(p.top, h, p.items.length)}`);
  return frameLines([...lines, foot], width, height);
}
