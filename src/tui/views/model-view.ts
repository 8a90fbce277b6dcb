import type { State } from '../state.js';
import { renderTable } from '../../render/table.js';
import { renderLine } from '../../render/line.js';
import { fit } from '../../render/text.js';
import { frameLines, type ViewCtx } from './common.js';

export function modelView(s: State, ctx: ViewCtx): string[] {
  const { theme, width, height } = ctx;
  const m = s.model;
  if (!m.loaded) return frameLines(['loading models…'], width, height);
  if (m.items.length === 0 && !m.backtest) return frameLines(['No models registered yet: run the train_model workflow (or `quantflow train`).'], width, height);
  const keys = [...new Set(m.items.flatMap((x) => Object.keys(x.metrics)))].slice(0, 4);
  const listRows = Math.min(5, m.items.length);
  const table = renderTable(
    [{ title: 'model', flex: true }, { title: 'source', width: 9 }, ...keys.map((k) => ({ title: k, align: 'right' as const, width: Math.max(7, k.length) }))],
    m.items.map((x) => [x.id, x.source, ...keys.map((k) => (x.metrics[k] == null ? '-' : Number(x.metrics[k]).toFixed(4)))]),
    { width, theme, selected: m.sel, offset: m.top, limit: listRows },
  );
  const sel = m.items[m.sel];
  const lines = [...table];
  const rest = height - lines.length;
  const impRows = Math.max(0, Math.min(sel?.importance.length ?? 0, Math.floor(rest / 2) - 1, 10));
  if (sel && impRows > 0) {
    lines.push(theme.paint('dim', `feature importance (gain), ${sel.id}`));
    const max = sel.importance[0]![1] || 1;
    const nameW = Math.min(24, Math.max(...sel.importance.slice(0, impRows).map((x) => x[0].length)));
    const barW = Math.max(10, width - nameW - 14);
    for (const [name, gain] of sel.importance.slice(0, impRows)) lines.push(`${fit(name, nameW)} ${theme.paint('accent', '█'.repeat(Math.max(1, Math.round((gain / max) * barW))))} ${gain.toFixed(1)}`);
  }
  const chartH = height - lines.length - 1;
  if (m.backtest && chartH >= 5) {
    lines.push(fit(m.backtest.summary, width));
    lines.push(...renderLine([{ label: 'strategy equity', values: m.backtest.equity }, { label: 'base line (all signals)', values: m.backtest.base }], { width, height: chartH, theme }));
  } else if (!m.backtest) lines.push(theme.paint('dim', 'no backtest stored yet (`quantflow backtest`)'));
  return frameLines(lines, width, height);
}
