/**
 * QUANTFLOW_FRAME_STATS=FILE: the TUI notes when it drew each frame, how long Ink took to draw
 * it and how many bytes the terminal had been sent by then, and writes them to FILE as JSON on
 * exit. bench/tui.ts reads them to report the frame rate
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
  const bytes: number[] = [];
  let sent = 0;
  const write = process.stdout.write.bind(process.stdout) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    sent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.on('exit', () => writeFileSync(file, `${JSON.stringify({ at, ms, bytes })}\n`));
  return {
    onRender: ({ renderTime }) => {
      at.push(Date.now());
      ms.push(Math.round(renderTime * 1000) / 1000);
      // Ink writes the frame right after it is drawn: this frame's bytes count with the next one.
      bytes.push(sent);
    },
  };
}
