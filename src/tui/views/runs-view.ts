import type { State } from '../state.js';
import { listHeight } from '../state.js';
import { renderTable } from '../../render/table.js';
import { statusGlyph, statusStyle } from '../../render/status.js';
import { formatDuration } from '../../render/text.js';
import { frameLines, clock, type ViewCtx } from './common.js';

export function runsView(s: State, ctx: ViewCtx): string[] {
  const { theme, width, height } = ctx;
  const r = s.runs;
  if (r.items.length === 0) return frameLines(['No runs yet: run a workflow from the Workflows or DAG screen (r).'], width, height);
  const rows = r.items.map((x) => [
    String(x.id),
    statusGlyph(x.state, theme) + ' ' + statusStyle(x.state).label,
    x.name + (x.parentRunId ? ` (sub of #${x.parentRunId})` : ''),
    clock(x.startTime),
    formatDuration((x.endTime ?? ctx.now) - x.startTime),
    x.commandType.replace(/_PROCESS$/, '').toLowerCase(),
  ]);
  const lines = renderTable(
    [{ title: 'run', align: 'right', width: 5 }, { title: 'state', width: 16 }, { title: 'workflow', flex: true }, { title: 'started', width: 19 }, { title: 'took', align: 'right', width: 7 }, { title: 'command', max: 14 }],
    rows,
    { width, theme, selected: r.sel, offset: r.top, limit: listHeight(s, 'runs') },
  );
  return frameLines(lines, width, height);
}
