import type { State } from '../state.js';
import { listHeight } from '../state.js';
import { renderTable } from '../../render/table.js';
import { formatDate } from '../../render/text.js';
import { frameLines, scrollCue, type ViewCtx } from './common.js';

export function picksView(s: State, ctx: ViewCtx): string[] {
  const { theme, width, height } = ctx;
  const p = s.picks;
  if (!p.loaded) return frameLines(['loading picks…'], width, height);
  if (p.items.length === 0) return frameLines(['No picks yet: run the recommend_stock workflow (or `quantflow recommend`).'], width, height);
  const h = listHeight(s, 'picks') - 1;
  const pct = (x?: number) => (x === undefined ? 'pending' : theme.paint(x >= 0 ? 'up' : 'down', `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`));
  const rows = p.items.map((x) => [formatDate(x.date), String(x.rank), x.code, x.name, x.score.toFixed(4), pct(x.next)]);
  const latest = p.items[0]!.date;
  const done = p.items.filter((x) => x.next !== undefined);
  const avg = done.length ? done.reduce((a, x) => a + x.next!, 0) / done.length : undefined;
  const head = `latest picks ${formatDate(latest)} · ${p.items.filter((x) => x.date === latest).length} names · history ${p.items.length} · next-day average ${avg === undefined ? '-' : pct(avg)} · ${scrollCue(p.top, h, p.items.length)}`;
  return frameLines(
    [head, ...renderTable([{ title: 'date', width: 10 }, { title: 'rank', align: 'right', width: 4 }, { title: 'code', width: 10 }, { title: 'name', flex: true }, { title: 'score', align: 'right', width: 8 }, { title: 'next day', align: 'right', width: 8 }], rows, { width, theme, selected: p.sel, offset: p.top, limit: h })],
    width,
    height,
  );
}
