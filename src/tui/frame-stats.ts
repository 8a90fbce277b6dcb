/**
 * QUANTFLOW_FRAME_STATS=FILE: the TUI notes when it drew each frame and how long Ink took to draw
 * it, and writes them to FILE as JSON on exit. bench/tui.ts reads them to report the frame rate
 * a user saw while a workflow ran; nothing else uses it.
 */
import { writeFileSync } from 'node:fs';

export interface FrameStats {
  onRender: (m: { renderTime: number }) => void;
}

export function frameStatsFromEnv(env = process.env): FrameStats | undefined {
  const file = env.QUANTFLOW_FRAME_STATS;
  if (!file) return undefined;
  const at: number[] = [];
  const ms: number[] = [];
  process.on('exit', () => writeFileSync(file, `${JSON.stringify({ at, ms })}\n`));
  return {
    onRender: ({ renderTime }) => {
      at.push(Date.now());
      ms.push(Math.round(renderTime * 1000) / 1000);
    },
  };
}
