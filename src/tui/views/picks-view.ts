import type { State } from '../state.js';
import { listHeight } from '../state.js';
import { renderTable } from '../../render/table.js';
import { formatDate } from '../../render/text.js';
import type { MonitorState } from '../monitor.js';
import type { Theme } from '../../render/theme.js';
import { frameLines, scrollCue, type ViewCtx } from './common.js';

/** The live monitor's status line, with a glyph as well as a colour. */
function monitorLine(live: MonitorState | undefined, theme: Theme): string {
  if (!live) return theme.paint('dim', '○ live monitor: not started');
  switch (live.status) {
    case 'in-session':
      return theme.paint('ok', '● ') + live.message;
    case 'source-down':
      return theme.paint('err', '✗ ' + live.message);
    case 'synthetic':
      return theme.paint('warn', '~ ' + live.message);
    default:
      return theme.paint('dim', '○ ' + live.message);
  }
}

export function picksView(s: State, ctx: ViewCtx): string[] {
  const { theme, width, height } = ctx;
  const p = s.picks;
  if (!p.loaded) return frameLines(['loading picks…'], width, height);
  if (p.items.length === 0) return frameLines(['No picks yet: run the recommend_stock workflow (or `quantflow recommend`).'], width, height);
  const h = listHeight(s, 'picks');
  const pct = (x?: number, none = 'pending') => (x === undefined ? none : theme.paint(x >= 0 ? 'up' : 'down', `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`));
  const latest = p.items[0]!.date;
  const live = p.live?.quotes;
  const rows = p.items.map((x) => [formatDate(x.date), String(x.rank), x.code, x.name, x.score.toFixed(4), pct(x.next), x.date === latest ? pct(live?.[x.code]?.change, '-') : '']);
  const done = p.items.filter((x) => x.next !== undefined);
  const avg = done.length ? done.reduce((a, x) => a + x.next!, 0) / done.length : undefined;
  const head = `latest picks ${formatDate(latest)} · ${p.items.filter((x) => x.date === latest).length} names · history ${p.items.length} · next-day average ${avg === undefined ? '-' : pct(avg)}${p.items.length > h ? ` · ${scrollCue(p.top, h, p.items.length)}` : ''}`;
  return frameLines(
    [
      head,
      monitorLine(p.live, theme),
      ...renderTable(
        [{ title: 'date', width: 10 }, { title: 'rank', align: 'right', width: 4 }, { title: 'code', width: 10 }, { title: 'name', flex: true }, { title: 'score', align: 'right', width: 8 }, { title: 'next day', align: 'right', width: 8 }, { title: 'today', align: 'right', width: 7 }],
        rows,
        { width, theme, selected: p.sel, offset: p.top, limit: h },
      ),
    ],
    width,
    height,
  );
}
