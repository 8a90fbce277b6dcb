import type { State } from '../state.js';
import { listHeight } from '../state.js';
import type { DagNode } from '../../render/dag.js';
import { renderDag } from '../../render/dag.js';
import { renderDagBoxes } from '../../render/dag-boxes.js';
import { statusStyle } from '../../render/status.js';
import { formatDuration } from '../../render/text.js';
import { frameLines, scrollCue, type ViewCtx } from './common.js';

export function dagNodes(s: State, now: number): DagNode[] {
  return s.dag.tasks.map((t) => {
    const l = s.dag.live[t.id];
    let status = l?.state ?? 'PENDING';
    let note: string | undefined;
    if (l && t.maxAttempts > 1 && l.attempt > 1) {
      note = `retry ${l.attempt - 1}/${t.maxAttempts - 1}`;
      if (status === 'SUBMITTED_SUCCESS' || status === 'DELAY_EXECUTION') status = 'RETRYING';
    }
    const duration = l?.start ? formatDuration((l.end ?? now) - l.start) : undefined;
    const progress = l?.progress && l.progress.total > 0 && status === 'RUNNING_EXECUTION' ? l.progress.done / l.progress.total : undefined;
    return {
      id: t.id,
      label: t.indent ? t.name : t.type === 'SUB_PROCESS' ? `${t.name} ⊞` : t.name,
      deps: t.deps,
      status,
      duration,
      progress,
      note,
      indent: t.indent,
      steps: l?.steps?.map((x) => ({ name: x.name, status: stepState(x.status), note: x.detail })),
    };
  });
}

/** SageMaker step statuses (Executing, Succeeded, Failed, Stopped, ...) as our state names. */
function stepState(s: string): string {
  const k = s.toLowerCase();
  if (k.startsWith('exec') || k === 'starting' || k === 'stopping') return 'RUNNING_EXECUTION';
  if (k.startsWith('succe')) return 'SUCCESS';
  if (k.startsWith('fail')) return 'FAILURE';
  if (k.startsWith('stop')) return 'KILL';
  return s.toUpperCase() in { SUCCESS: 1, FAILURE: 1, KILL: 1 } ? s.toUpperCase() : 'PENDING';
}

export function dagView(s: State, ctx: ViewCtx, nodes: DagNode[] = dagNodes(s, ctx.now)): string[] {
  const { theme, width, height } = ctx;
  const d = s.dag;
  if (!d.workflow) return frameLines(['No workflow open: pick one on the Workflows screen (1) and press enter.'], width, height);
  const head =
    theme.paint('title', d.workflow) +
    (d.runId ? `  run #${d.runId} ${theme.paint(statusStyle(d.runState ?? 'PENDING').token, statusStyle(d.runState ?? 'PENDING').label)}` : '  not run yet') +
    (Object.keys({ ...d.paramDefaults, ...d.params }).length
      ? '  params: ' + Object.entries({ ...d.paramDefaults, ...d.params }).map(([k, v]) => `${k}=${v}`).join(' ')
      : '');
  const h = listHeight(s, 'dag');
  const selId = d.tasks[d.sel]?.id;
  let body: string[];
  if (d.layout === 'boxes') {
    const r = renderDagBoxes(nodes, { width, theme, selected: selId, spinnerFrame: s.spinner, offsetX: d.offsetX, layoutKey: d.tasks });
    // The rows follow the selection: its box (3 rows) stays on screen, above the hint line.
    const room = r.fits ? h : h - 1;
    const selTop = selId ? (r.boxTop.get(selId) ?? 0) : 0;
    const top = Math.max(0, Math.min(selTop + 3 - room, r.lines.length - room));
    body = r.lines.slice(top, top + room);
    while (body.length < h) body.push('');
    if (!r.fits) body[h - 1] = theme.paint('dim', `(wider than the screen: ←/→ pan; v: graph layout)`);
  } else {
    let lineTop = 0;
    const viewport = (rowOf: Map<string, number>): [number, number] => {
      lineTop = rowOf.get(d.tasks[d.top]?.id ?? '') ?? 0;
      const selLine = selId ? (rowOf.get(selId) ?? 0) : 0;
      if (selLine >= lineTop + h) lineTop = selLine - h + 1;
      return [lineTop, lineTop + h];
    };
    const r = renderDag(nodes, { width, theme, selected: selId, spinnerFrame: s.spinner, layoutKey: d.tasks, viewport });
    body = r.lines.slice(lineTop, lineTop + h);
  }
  while (body.length < h) body.push('');
  const t = d.tasks[d.sel];
  const l = t ? d.live[t.id] : undefined;
  const foot = t
    ? theme.paint('dim', `${scrollCue(d.top, h, d.tasks.length, d.tasks.length === 1 ? 'task' : 'tasks')} · ${t.id} · ${t.type}${l ? ` · attempt ${l.attempt}/${t.maxAttempts}` : ''}${l?.progress ? ` · ${l.progress.label}` : ''}${l?.message ? ` · ${l.message}` : ''}`)
    : '';
  return frameLines([head, ...body, foot], width, height);
}
