import type { State } from '../state.js';
import { renderTable } from '../../render/table.js';
import { renderLine } from '../../render/line.js';
import { fit } from '../../render/text.js';
import { frameLines, type ViewCtx } from './common.js';
import type { ModelItem } from '../types.js';

export function modelView(s: State, ctx: ViewCtx): string[] {
  const { theme, width, height } = ctx;
  const m = s.model;
  if (!m.loaded) return frameLines(['loading models…'], width, height);
  if (m.items.length === 0 && !m.backtest) return frameLines(['No models registered yet: run the train_model workflow (or `quantflow train`).'], width, height);
  const keys = metricColumns(m.items.map((x) => x.metrics), width);
  const listRows = Math.min(5, m.items.length);
  const table = renderTable(
    [{ title: 'model', flex: true }, { title: 'source', width: 9 }, ...keys.map((k) => ({ title: k, align: 'right' as const, width: Math.max(METRIC_W, k.length) }))],
    m.items.map((x) => [x.id, x.source, ...keys.map((k) => formatMetric(x.metrics[k]))]),
    { width, theme, selected: m.sel, offset: m.top, limit: listRows },
  );
  const sel = m.items[m.sel];
  const lines = [...table];
  if (sel) lines.push(theme.paint('dim', fit(modelDetail(sel), width)));
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

/**
 * The metrics a quant reads first, in that order (ranking quality, calibration, the picks' hit
 * rate, then the rest), as many as the width leaves room for beside the model's name.
 */
const METRIC_ORDER = ['auc', 'logloss', 'precision', 'ic', 'recall', 'f1', 'odds', 'pcr', 'odds_base', 'pcr_base'];
const METRIC_W = 7;
/** Sizes of the test set, not measures of the model: on the detail line. */
const NOT_METRICS = new Set(['rows', 'days', 'support', 'top_n']);

export function metricColumns(all: Record<string, number | null>[], width: number): string[] {
  const present = new Set(all.flatMap((x) => Object.keys(x)));
  const known = METRIC_ORDER.filter((k) => present.has(k));
  const others = [...present].filter((k) => !METRIC_ORDER.includes(k) && !NOT_METRICS.has(k)).sort();
  const room = Math.max(1, Math.floor((width - 24 - 9) / (METRIC_W + 1)));
  return [...known, ...others].slice(0, room);
}

function formatMetric(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(Number(v))) return '-';
  const n = Number(v);
  return Number.isInteger(n) ? String(n) : Math.abs(n) >= 1000 ? n.toFixed(0) : n.toFixed(4);
}

/**
 * What the metrics were measured on first, then what the model predicts and its training days:
 * `test 2025-12-22..2025-12-30 (61 rows, 7 days) · next_close · signal days · train 2025-07-08..2025-12-10`
 */
function modelDetail(m: ModelItem): string {
  const r = m.dataRange ?? {};
  const span = (a?: string, b?: string) => (a && b ? `${a}..${b}` : undefined);
  const size = m.metrics.rows != null ? ` (${m.metrics.rows} rows${m.metrics.days != null ? `, ${m.metrics.days} days` : ''})` : '';
  const test = span(r.testFrom, r.testTo);
  const train = span(r.trainFrom, r.trainTo);
  const universe = m.universe === undefined ? undefined : m.universe === 'all' ? 'every stock' : 'signal days';
  return [test && `test ${test}${size}`, m.labelKind, universe, train && `train ${train}`].filter(Boolean).join(' · ');
}
