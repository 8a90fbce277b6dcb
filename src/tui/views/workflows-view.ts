import type { State } from '../state.js';
import { listHeight } from '../state.js';
import { renderTable } from '../../render/table.js';
import { statusGlyph, statusStyle } from '../../render/status.js';
import { frameLines, ago, scrollCue, type ViewCtx } from './common.js';

export function workflowsView(s: State, ctx: ViewCtx): string[] {
  const { theme, width, height } = ctx;
  const w = s.workflows;
  const lines: string[] = [];
  if (!w.loaded) return frameLines(['loading workflows…'], width, height);
  if (w.items.length === 0) return frameLines(['No workflow files found (looked for *.yaml under ./workflows and --workflows DIR).'], width, height);
  const h = listHeight(s, 'workflows');
  const rows = w.items.map((e) => {
    const st = e.errors.length ? 'INVALID' : e.lastRun ? e.lastRun.state : 'PENDING';
    const last = e.lastRun ? `#${e.lastRun.id} ${statusStyle(e.lastRun.state).label} ${ago(e.lastRun.endTime ?? e.lastRun.startTime, ctx.now)}` : 'never run';
    return [
      statusGlyph(st, theme),
      e.name ?? '(invalid)',
      e.display,
      e.errors.length ? '' : String(e.tasks),
      e.errors.length ? theme.paint('err', `${e.errors.length} error${e.errors.length > 1 ? 's' : ''}`) : last,
    ];
  });
  lines.push(
    ...renderTable(
      [{ title: ' ', width: 1 }, { title: 'workflow', max: 24 }, { title: 'file', flex: true, max: 40 }, { title: 'tasks', align: 'right', width: 5 }, { title: 'last run', max: 28 }],
      rows,
      { width, theme, selected: w.sel, offset: w.top, limit: h },
    ),
  );
  while (lines.length < h + 1) lines.push('');
  const sel = w.items[w.sel];
  const detail: string[] = [theme.paint('dim', `── ${sel?.display ?? ''} ${'─'.repeat(Math.max(0, width - 5 - (sel?.display.length ?? 0)))} ${scrollCue(w.top, h, w.items.length)}`)];
  if (sel) {
    if (sel.errors.length) for (const e of sel.errors) detail.push(theme.paint('err', '✖ ') + e);
    else detail.push(`${theme.paint('ok', '✔')} valid: ${sel.tasks} tasks${sel.lastRun ? ` · last run #${sel.lastRun.id} ${statusStyle(sel.lastRun.state).label}` : ''} · enter: DAG · r: run`);
    for (const wn of sel.warnings) detail.push(theme.paint('warn', '! ') + wn);
  }
  lines.push(...detail);
  return frameLines(lines, width, height);
}
