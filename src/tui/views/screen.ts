/** The whole frame as lines: what the Ink app prints and what the bench times. */
import type { State } from '../state.js';
import type { Theme } from '../../render/theme.js';
import { fit } from '../../render/text.js';
import { tabBar, helpBar, statusLine, overlayLines, compose, tooSmall, MIN_COLS, MIN_ROWS } from './frame.js';
import { workflowsView } from './workflows-view.js';
import { dagView } from './dag-view.js';
import { logView } from './log-view.js';
import { runsView } from './runs-view.js';
import { marketView, type ChartData } from './market-view.js';
import { patternsView } from './patterns-view.js';
import { picksView } from './picks-view.js';
import { modelView } from './model-view.js';
import { bodyHeight } from '../state.js';
import type { ViewCtx } from './common.js';

export function bodyLines(s: State, ctx: ViewCtx, chart?: ChartData): string[] {
  switch (s.screen) {
    case 'workflows':
      return workflowsView(s, ctx);
    case 'dag':
      return dagView(s, ctx);
    case 'log':
      return logView(s, ctx);
    case 'runs':
      return runsView(s, ctx);
    case 'market':
      return marketView(s, ctx, chart);
    case 'patterns':
      return patternsView(s, ctx);
    case 'picks':
      return picksView(s, ctx);
    case 'model':
      return modelView(s, ctx);
    default:
      return [];
  }
}

export function frameOf(s: State, theme: Theme, body: string[]): string[] {
  const { cols, rows } = s.size;
  if (cols < MIN_COLS || rows < MIN_ROWS) return tooSmall(cols, rows);
  const width = cols;
  const b = compose(body, overlayLines(s, theme, width, bodyHeight(s)), width);
  // Every part is already exactly `width` columns.
  return [fit(tabBar(s, theme, width), width), ...b, statusLine(s, theme, width), helpBar(s, theme, width)];
}

export function renderScreen(s: State, theme: Theme, now: number, chart?: ChartData): string[] {
  const body = bodyLines(s, { theme, width: s.size.cols, height: bodyHeight(s), now }, chart);
  return frameOf(s, theme, body);
}
