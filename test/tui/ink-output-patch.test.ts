/**
 * The TUI bundle's edits to Ink's Output (scripts/tui-patches.mjs: caches kept across frames, rows
 * reused when their writes did not change) must leave every frame exactly as Ink draws it. Random
 * frames of styled, wide and multi-line text with clips are drawn by Ink's own Output and by the
 * patched one, frame after frame (so the caches are hit and must never give a stale row).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error plain JavaScript build script, no types
import { applyPatches } from '../../scripts/tui-patches.mjs';
// Seeded, so a failure names its seed.
import { rng } from '../analysis/candles/bars-fixtures.js';

interface OutputLike {
  write(x: number, y: number, text: string, o: { transformers: ((s: string, i: number) => string)[] }): void;
  clip(c: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type OutputClass = new (o: { width: number; height: number }) => OutputLike;

const inkOutput = resolve('node_modules/ink/build/output.js');
// Beside node_modules, so the patched copy resolves Ink's own dependencies.
const dir = resolve('node_modules/.cache', `quantflow-ink-output-${process.pid}`);
let Ink: OutputClass;
let Patched: OutputClass;

beforeAll(async () => {
  const original = readFileSync(inkOutput, 'utf8');
  const applied = new Set<number>();
  const patched: string = applyPatches(inkOutput, original, applied);
  expect(applied.size).toBeGreaterThanOrEqual(3);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'output.mjs'), patched);
  Ink = (await import(pathToFileURL(inkOutput).href)).default;
  Patched = (await import(pathToFileURL(join(dir, 'output.mjs')).href)).default;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const PIECES = ['ok', 'done', '  ', '浦发银行', '▇▆', '✔', '⠸', '│ ├─', 'x'.repeat(30), '😀', 'e\u0301', ' '];
const CODES = ['\x1b[32m', '\x1b[31m', '\x1b[1m', '\x1b[7m', '\x1b[38;5;208m', '\x1b[48;5;17m', '\x1b[2m'];
const OFF = ['\x1b[39m', '\x1b[22m', '\x1b[27m', '\x1b[49m', '\x1b[0m'];

function styledText(r: () => number): string {
  let s = '';
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    if (r() < 0.4) s += CODES[Math.floor(r() * CODES.length)];
    s += PIECES[Math.floor(r() * PIECES.length)];
    if (r() < 0.4) s += OFF[Math.floor(r() * OFF.length)];
    if (r() < 0.1) s += '\n';
  }
  return s;
}

type Op = { kind: 'write'; x: number; y: number; text: string; upper: boolean } | { kind: 'clip'; c: { x1?: number; x2?: number; y1?: number; y2?: number } } | { kind: 'unclip' };

function frameOps(r: () => number, width: number, height: number): Op[] {
  const ops: Op[] = [];
  let depth = 0;
  const n = 5 + Math.floor(r() * 30);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.1) {
      const c: { x1?: number; x2?: number; y1?: number; y2?: number } = {};
      if (r() < 0.6) {
        c.x1 = Math.floor(r() * width * 0.5);
        c.x2 = c.x1 + Math.floor(r() * width);
      }
      if (r() < 0.6) {
        c.y1 = Math.floor(r() * height * 0.5);
        c.y2 = c.y1 + Math.floor(r() * height);
      }
      ops.push({ kind: 'clip', c });
      depth++;
    } else if (k < 0.15 && depth > 0) {
      ops.push({ kind: 'unclip' });
      depth--;
    } else ops.push({ kind: 'write', x: Math.floor(r() * (width + 4)) - 2, y: Math.floor(r() * (height + 2)) - 1, text: styledText(r), upper: r() < 0.1 });
  }
  return ops;
}

function draw(C: OutputClass, width: number, height: number, ops: Op[]): string {
  const o = new C({ width, height });
  const upper = (s: string, i: number) => (i % 2 ? s : s.toUpperCase());
  for (const op of ops) {
    if (op.kind === 'write') o.write(Math.max(0, op.x), Math.max(0, op.y), op.text, { transformers: op.upper ? [upper] : [] });
    else if (op.kind === 'clip') o.clip(op.c);
    else o.unclip();
  }
  return o.get().output;
}

describe("the TUI bundle's patched Ink Output", () => {
  it('draws every frame exactly as Ink does, frame after frame, as frames change a little or a lot', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const width = 10 + Math.floor(r() * 110);
      const height = 1 + Math.floor(r() * 40);
      let ops = frameOps(r, width, height);
      for (let frame = 0; frame < 4; frame++) {
        expect(draw(Patched, width, height, ops), `seed ${seed} frame ${frame}`).toBe(draw(Ink, width, height, ops));
        // The next frame: the same, one write changed, or a new frame.
        const k = r();
        if (k < 0.6 && ops.length) {
          const i = Math.floor(r() * ops.length);
          const op = ops[i]!;
          if (op.kind === 'write') ops = ops.map((o, j) => (j === i ? { ...op, text: styledText(r) } : o));
        } else if (k < 0.9) ops = frameOps(r, width, height);
      }
    }
  });

  it('draws the TUI frame shape (one write a line piece, blank rows) the same as Ink', () => {
    const width = 80;
    const height = 23;
    const ops: Op[] = [];
    for (let y = 0; y < height; y += 1 + (y % 3)) {
      ops.push({ kind: 'write', x: 0, y, text: `\x1b[32m✔\x1b[39m─╮  t${y}`, upper: false });
      ops.push({ kind: 'write', x: 60, y, text: `${y}.3s \x1b[32msuccess\x1b[39m`, upper: false });
    }
    const a = draw(Ink, width, height, ops);
    expect(a.split('\n')).toHaveLength(height);
    expect(draw(Patched, width, height, ops)).toBe(a);
    expect(draw(Patched, width, height, ops)).toBe(a);
  });

  it('keys a row by the width too: a write past the edge lands at the edge, wherever that is', () => {
    const past: Op[] = [{ kind: 'write', x: 12, y: 0, text: 'abc', upper: false }];
    for (const w of [10, 20, 10]) expect(draw(Patched, w, 1, past), `width ${w}`).toBe(draw(Ink, w, 1, past));
    expect(draw(Ink, 10, 1, past)).not.toBe(draw(Ink, 20, 1, past));
  });
});
