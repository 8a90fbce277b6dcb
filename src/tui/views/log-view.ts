import type { State } from '../state.js';
import { listHeight } from '../state.js';
import { fit, charWidth } from '../../render/text.js';
import { frameLines, type ViewCtx } from './common.js';

function chunks(line: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  let w = 0;
  for (const ch of line) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) {
      out.push(cur);
      cur = '';
      w = 0;
    }
    cur += ch;
    w += cw;
  }
  out.push(cur);
  return out;
}

export function logView(s: State, ctx: ViewCtx): string[] {
  const { theme, width, height } = ctx;
  const g = s.log;
  if (!g.task) return frameLines(['No task log open: select a task on the DAG screen and press enter.'], width, height);
  const h = listHeight(s, 'log');
  const head =
    theme.paint('title', `log ${g.task}`) +
    `  run #${g.runId ?? '-'}  attempt ${g.attempt}/${Math.max(g.attempts, g.attempt)}  ` +
    `follow ${g.follow ? theme.paint('ok', 'on') : 'off'} (f)  wrap ${g.wrap ? 'on' : 'off'} (w)` +
    (g.query ? `  /${g.query}` : '') +
    `  ${g.lines.length} lines`;
  const body: string[] = [];
  const textW = width - 2;
  const q = g.query.toLowerCase();
  for (let i = g.top; i < g.lines.length && body.length < h; i++) {
    const line = g.lines[i]!;
    const isMatch = q !== '' && line.toLowerCase().includes(q);
    const mark = i === g.match ? '›' : isMatch ? '·' : ' ';
    const parts = g.wrap ? chunks(line, textW) : [line];
    for (let k = 0; k < parts.length && body.length < h; k++) {
      let text = fit(parts[k]!, textW);
      if (isMatch && theme.color) {
        const at = text.toLowerCase().indexOf(q);
        if (at >= 0) text = text.slice(0, at) + theme.paint('sel', text.slice(at, at + q.length)) + text.slice(at + q.length);
      }
      body.push((k === 0 ? mark : ' ') + ' ' + text);
    }
  }
  if (g.lines.length === 0) body.push(theme.paint('dim', '  (no output yet)'));
  return frameLines([head, ...body], width, height);
}
