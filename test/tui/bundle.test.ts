/**
 * The TUI's start-up bundle (scripts/bundle-tui.mjs, loaded by src/tui/bundle.ts): the global
 * setup builds it as `npm run build` does, so the bin (and the tmux test) start the bundled TUI;
 * a bundle older than the dist/ files it was built from, or none, falls back to the unbundled
 * import.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, tempDir } from '../support/fs.js';

type BundleModule = typeof import('../../src/tui/bundle.js');
const distBundle = async (): Promise<BundleModule> => (await import(pathToFileURL(join(repoRoot, 'dist', 'tui', 'bundle.js')).href)) as BundleModule;
const saved = { bundle: process.env.QUANTFLOW_TUI_BUNDLE, dev: process.env.DEV };

describe('TUI start-up bundle', () => {
  afterEach(() => {
    for (const [k, v] of [['QUANTFLOW_TUI_BUNDLE', saved.bundle], ['DEV', saved.dev]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('is built and fresh after the global setup; it loads with the CLI modules shared and the AWS SDK not loaded', async () => {
    delete process.env.QUANTFLOW_TUI_BUNDLE;
    delete process.env.DEV;
    const { freshBundle, loadBundle } = await distBundle();
    const b = freshBundle();
    expect(b?.script).toBe(join(repoRoot, 'dist', 'tui-bundle', 'main.cjs'));
    expect(b!.manifest.shared).toContain('../core/errors.js');
    const mod = await loadBundle<{ mountTui?: unknown }>(b!);
    expect(typeof mod.mountTui).toBe('function');
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((k) => k.includes('better-sqlite3'))).toBe(true);
    expect(loaded.some((k) => k.includes('@aws-sdk'))).toBe(false);
    // Its V8 code cache, keyed by the hash on the script's first line, is there once it has started.
    const hash = /^\/\/qf-bundle ([0-9a-f]+)\n/.exec(readFileSync(b!.script, 'utf8'))?.[1];
    expect(hash).toBe(b!.manifest.hash);
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(`${b!.script}.${hash}.cache`)).toBe(true);
  });

  it('requires the modules the CLI loaded before it (one QuantflowError class) and keeps import.meta.url per file', () => {
    const main = readFileSync(join(repoRoot, 'dist', 'tui-bundle', 'main.cjs'), 'utf8');
    expect(main).toContain('require("../core/errors.js")');
    expect(main).not.toMatch(/class QuantflowError/);
    // paths.ts (where the project is, for Shell tasks' `quantflow`) sees its own dist/ location.
    expect(main).toContain('new URL("../core/paths.js",__qfBundleUrl)');
    expect(main).not.toContain('import.meta');
  });

  it('is skipped when missing, older than a dist/ file it was built from, or turned off', async () => {
    const { freshBundle } = await distBundle();
    const t = tempDir('qf-bundle-');
    try {
      const dist = pathToFileURL(join(t.dir, 'dist') + '/');
      mkdirSync(join(t.dir, 'dist', 'tui-bundle'), { recursive: true });
      mkdirSync(join(t.dir, 'dist', 'tui'), { recursive: true });
      expect(freshBundle(dist)).toBeUndefined();
      const builtAt = Date.now();
      writeFileSync(join(t.dir, 'dist', 'tui', 'a.js'), '');
      utimesSync(join(t.dir, 'dist', 'tui', 'a.js'), new Date(builtAt - 60_000), new Date(builtAt - 60_000));
      writeFileSync(join(t.dir, 'dist', 'tui-bundle', 'manifest.json'), JSON.stringify({ builtAt, hash: 'x', shared: [], inputs: ['tui/a.js'] }));
      expect(freshBundle(dist)?.script).toBe(join(t.dir, 'dist', 'tui-bundle', 'main.cjs'));
      process.env.QUANTFLOW_TUI_BUNDLE = '0';
      expect(freshBundle(dist)).toBeUndefined();
      delete process.env.QUANTFLOW_TUI_BUNDLE;
      process.env.DEV = 'true'; // Ink's devtools mode: only unbundled
      expect(freshBundle(dist)).toBeUndefined();
      delete process.env.DEV;
      // tsc (or the test transpile) rewrote a.js after the bundle was built.
      utimesSync(join(t.dir, 'dist', 'tui', 'a.js'), new Date(builtAt + 5_000), new Date(builtAt + 5_000));
      expect(freshBundle(dist)).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });

  it('keeps its code cache in the user cache folder when the install is read-only, and reads it from there', async () => {
    const { codeCachePlaces, readCodeCache, writeCodeCache } = await distBundle();
    const t = tempDir('qf-codecache-');
    try {
      expect(codeCachePlaces('/opt/qf/dist/tui-bundle/main.cjs', 'ab12', { HOME: '/home/q' })).toEqual([
        '/opt/qf/dist/tui-bundle/main.cjs.ab12.cache',
        '/home/q/.cache/quantflow/tui-bundle.ab12.cache',
      ]);
      expect(codeCachePlaces('/x/main.cjs', 'ab12', { XDG_CACHE_HOME: '/c', HOME: '/home/q' })[1]).toBe('/c/quantflow/tui-bundle.ab12.cache');
      // A folder that cannot be written, even by root: its parent is a file.
      writeFileSync(join(t.dir, 'a-file'), '');
      const readOnly = join(t.dir, 'a-file', 'dist', 'tui-bundle', 'main.cjs');
      const env = { XDG_CACHE_HOME: join(t.dir, 'cache') };
      const places = codeCachePlaces(readOnly, 'cd34', env);
      expect(readCodeCache(places)).toBeUndefined();
      expect(writeCodeCache(places, Buffer.from('v8 data'))).toBe(join(t.dir, 'cache', 'quantflow', 'tui-bundle.cd34.cache'));
      expect(readCodeCache(places)?.toString()).toBe('v8 data');
      // Other builds' caches in the shared folder: the three newest stay.
      for (const [i, h] of ['01', '02', '03', '04'].entries()) {
        const p = codeCachePlaces(readOnly, h, env);
        writeCodeCache(p, Buffer.from(h));
        utimesSync(p[1]!, new Date(Date.now() - (10 - i) * 1000), new Date(Date.now() - (10 - i) * 1000));
      }
      writeCodeCache(places, Buffer.from('v8 data'));
      const left = readdirSync(join(t.dir, 'cache', 'quantflow')).sort();
      expect(left).toEqual(['tui-bundle.03.cache', 'tui-bundle.04.cache', 'tui-bundle.cd34.cache']);
      // Nowhere to write: no error, compile each time.
      expect(writeCodeCache([readOnly + '.cache'], Buffer.from('x'))).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });
});
