/**
 * Golden screens: plain text (ANSI stripped, rendered with colour off), one file per screen and
 * size in test/golden/. `UPDATE_GOLDEN=1 npx vitest run test/tui` rewrites them; review the diff.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../support/fs.js';

const dir = join(repoRoot, 'test', 'golden');

export function expectGolden(name: string, frame: string): void {
  const file = join(dir, `${name}.golden`);
  const text = frame.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd() + '\n';
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  expect(text, `golden ${name} (UPDATE_GOLDEN=1 to accept)`).toBe(readFileSync(file, 'utf8'));
}
