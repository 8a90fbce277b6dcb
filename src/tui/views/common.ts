/** Shared bits of the screen views: each view is a pure `(state, ctx) => lines` of exact size. */
import type { Theme } from '../../render/theme.js';
import { fit } from '../../render/text.js';

export interface ViewCtx {
  theme: Theme;
  width: number;
  height: number;
  now: number;
}

/** Pads or cuts `lines` to exactly `height` lines of `width` columns. */
export function frameLines(lines: string[], width: number, height: number): string[] {
  const out = lines.slice(0, height).map((l) => fit(l, width));
  while (out.length < height) out.push(' '.repeat(width));
  return out;
}

export function clock(ms: number | null | undefined): string {
  if (!ms) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** "▲ more" / "▼ more below" cue text for a window. */
/** Where a list's window is (`▲▼ 21-40/95`), or when it all fits, how many there are (`11 tasks`). */
export function scrollCue(top: number, shown: number, total: number, noun?: string): string {
  const up = top > 0 ? '▲' : ' ';
  const down = top + shown < total ? '▼' : ' ';
  return total > shown ? `${up}${down} ${Math.min(total, top + 1)}-${Math.min(total, top + shown)}/${total}` : noun ? `${total} ${noun}` : `${total}`;
}
