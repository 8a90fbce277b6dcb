/**
 * Renders the real App on a fake terminal of a chosen size (ink-testing-library's stdout is fixed
 * at 100 columns with no rows), feeds keys through a fake stdin, and reads the last frame.
 */
import React from 'react';
import { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import { App, type AppProps } from '../../src/tui/App.js';
import type { Controller } from '../../src/tui/controller.js';
import { stripAnsi } from '../../src/render/text.js';

class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (s: string): boolean => {
    this.frames.push(s);
    return true;
  };
  resize(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private buf: string[] = [];
  setRawMode(): void {}
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): string | null {
    return this.buf.shift() ?? null;
  }
  write(s: string): void {
    this.buf.push(s);
    this.emit('readable');
    this.emit('data', s);
  }
}

export const KEY = { UP: '\u001B[A', DOWN: '\u001B[B', LEFT: '\u001B[D', RIGHT: '\u001B[C', ENTER: '\r', ESC: '\u001B', TAB: '\t' };

export interface Rendered {
  stdout: FakeStdout;
  instance: Instance;
  ctl: () => Controller;
  frame: () => string;
  press: (...keys: string[]) => Promise<void>;
  waitFor: (pred: (frame: string) => boolean, ms?: number) => Promise<string>;
  unmount: () => void;
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function renderTui(props: AppProps, size: { columns: number; rows: number }): Promise<Rendered> {
  const stdout = new FakeStdout(size.columns, size.rows);
  const stdin = new FakeStdin();
  let controller: Controller | undefined;
  const instance = render(<App {...props} onController={(c) => (controller = c)} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // Ink 6.8 resolves waitUntilExit() only if it was called before the app exits: ask now, so a
  // test that quits and then waits does not hang when the quit is quick.
  instance.waitUntilExit().catch(() => undefined);
  const frame = () => {
    // debug mode writes each full frame; the last write is the current screen.
    for (let i = stdout.frames.length - 1; i >= 0; i--) {
      const f = stripAnsi(stdout.frames[i]!);
      if (f.trim().length) return f;
    }
    return '';
  };
  await delay(50);
  return {
    stdout,
    instance,
    ctl: () => controller!,
    frame,
    press: async (...keys: string[]) => {
      for (const k of keys) {
        stdin.write(k);
        await delay(30);
      }
    },
    waitFor: async (pred, ms = 5000) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const f = frame();
        if (pred(f)) return f;
        await delay(20);
      }
      throw new Error(`timed out; last frame:\n${frame()}`);
    },
    unmount: () => instance.unmount(),
  };
}
