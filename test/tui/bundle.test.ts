/**
 * The TUI's start-up bundle (scripts/bundle-tui.mjs): the global setup builds it as `npm run build`
 * does, so the bin (and the tmux test) start the bundled TUI; a bundle older than the dist/ files
 * it was built from, or none, falls back to the unbundled import.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, tempDir } from '../support/fs.js';

type RunModule = typeof import('../../src/tui/run.js');
const distRun = async (): Promise<RunModule> => (await import(pathToFileURL(join(repoRoot, 'dist', 'tui', 'run.js')).href)) as RunModule;

describe('TUI start-up bundle', () => {
  const saved = process.env.QUANTFLOW_TUI_BUNDLE;
  afterEach(() => {
    if (saved === undefined) delete process.env.QUANTFLOW_TUI_BUNDLE;
    else process.env.QUANTFLOW_TUI_BUNDLE = saved;
  });

  it('is built and fresh after the global setup, so the bin starts the bundled TUI', async () => {
    delete process.env.QUANTFLOW_TUI_BUNDLE;
    const { freshBundle } = await distRun();
    const url = freshBundle();
    expect(url?.href).toBe(pathToFileURL(join(repoRoot, 'dist', 'tui-bundle', 'main.js')).href);
    const mod = (await import(url!.href)) as { mountTui?: unknown };
    expect(typeof mod.mountTui).toBe('function');
  });

  it('shares the modules the CLI loaded before it (one QuantflowError class), and keeps the AWS SDK out of the start-up chunk', () => {
    const main = readFileSync(join(repoRoot, 'dist', 'tui-bundle', 'main.js'), 'utf8');
    expect(main).toContain('"../core/errors.js"');
    expect(main).not.toMatch(/class QuantflowError/);
    expect(main).not.toContain('@aws-sdk/');
    // import.meta.url of bundled files points at their own dist/ location (paths.ts finds the project).
    const dir = join(repoRoot, 'dist', 'tui-bundle');
    const all = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(all).toContain('new URL("../core/paths.js",import.meta.url)');
  });

  it('is skipped when missing, older than a dist/ file it was built from, or turned off', async () => {
    const { freshBundle } = await distRun();
    const t = tempDir('qf-bundle-');
    try {
      const dist = pathToFileURL(join(t.dir, 'dist') + '/');
      mkdirSync(join(t.dir, 'dist', 'tui-bundle'), { recursive: true });
      mkdirSync(join(t.dir, 'dist', 'tui'), { recursive: true });
      expect(freshBundle(dist)).toBeUndefined();
      const builtAt = Date.now();
      writeFileSync(join(t.dir, 'dist', 'tui', 'a.js'), '');
      utimesSync(join(t.dir, 'dist', 'tui', 'a.js'), new Date(builtAt - 60_000), new Date(builtAt - 60_000));
      writeFileSync(join(t.dir, 'dist', 'tui-bundle', 'manifest.json'), JSON.stringify({ builtAt, inputs: ['tui/a.js'] }));
      expect(freshBundle(dist)?.href).toBe(new URL('tui-bundle/main.js', dist).href);
      process.env.QUANTFLOW_TUI_BUNDLE = '0';
      expect(freshBundle(dist)).toBeUndefined();
      delete process.env.QUANTFLOW_TUI_BUNDLE;
      // tsc (or the test transpile) rewrote a.js after the bundle was built.
      utimesSync(join(t.dir, 'dist', 'tui', 'a.js'), new Date(builtAt + 5_000), new Date(builtAt + 5_000));
      expect(freshBundle(dist)).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });
});
