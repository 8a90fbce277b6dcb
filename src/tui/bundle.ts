/**
 * Loads the TUI's start-up bundle, dist/tui-bundle/main.cjs (scripts/bundle-tui.mjs), with a V8
 * code cache next to it (main.cjs.<hash>.cache), or, where the install is read-only (a global
 * npm install), in the user's cache folder: the first start after a build compiles it and, right
 * after its first frame, saves what V8 compiled; later starts skip that compiling (about 60 ms).
 * Any problem with the cache only means compiling again.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

interface Manifest {
  builtAt: number;
  /** The script's content hash (also its first line, which the loader uses). */
  hash: string;
  /** dist/ modules the bundle requires instead of copying them (the CLI has loaded them already). */
  shared: string[];
  /** dist/ files (relative to dist/) the bundle was built from. */
  inputs: string[];
}

export interface FreshBundle {
  script: string;
  manifest: Manifest;
}

/**
 * The bundle when it is there and none of the dist/ files it was built from is newer (someone
 * ran tsc or the test transpile after it), else undefined. QUANTFLOW_TUI_BUNDLE=0 skips it, and
 * so does DEV=true (Ink's React-devtools mode, which only the unbundled TUI has).
 */
export function freshBundle(distDir: URL = new URL('../', import.meta.url)): FreshBundle | undefined {
  if (process.env.QUANTFLOW_TUI_BUNDLE === '0' || process.env.DEV === 'true') return undefined;
  const dir = new URL('tui-bundle/', distDir);
  try {
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as Manifest;
    const dist = fileURLToPath(distDir);
    for (const f of manifest.inputs) if (statSync(dist + f).mtimeMs > manifest.builtAt) return undefined;
    return { script: fileURLToPath(new URL('main.cjs', dir)), manifest };
  } catch {
    return undefined;
  }
}

/** Runs the bundle and returns its TUI module (the same exports as ./main.js). */
export async function loadBundle<T>(b: FreshBundle): Promise<T> {
  const shared = new Map<string, unknown>();
  // Already loaded by the CLI: these imports only look them up.
  for (const spec of b.manifest.shared) shared.set(spec, await import(new URL(spec, pathToFileURL(b.script)).href));
  const source = readFileSync(b.script, 'utf8');
  // The build's hash of this very source (its first line), never a manifest of another build.
  const hash = /^\/\/qf-bundle ([0-9a-f]+)\n/.exec(source)?.[1] ?? 'none';
  const places = codeCachePlaces(b.script, hash);
  const cachedData = readCodeCache(places);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __qfBundleUrl) {${source}\n})`, {
    filename: b.script,
    // No importModuleDynamically: Node 20 drops it for a script compiled from a code cache, so the
    // build makes sure the bundle has no import() left (every lazy module is inside it).
    cachedData,
  });
  const nodeRequire = createRequire(b.script);
  const req = Object.assign((id: string) => (shared.has(id) ? shared.get(id) : nodeRequire(id)), nodeRequire);
  const mod = { exports: {} as { load: () => Promise<T> } };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, req, mod, b.script, dirname(b.script), pathToFileURL(b.script).href);
  const loaded = mod.exports.load();
  if (!cachedData || script.cachedDataRejected) {
    // Once the caller has drawn the first frame (it does so synchronously after this resolves), so
    // the cache holds the code of the whole start-up path.
    void loaded.then(() =>
      setTimeout(() => {
        writeCodeCache(places, script.createCachedData());
      }, 0),
      () => undefined, // the caller gets the error
    );
  }
  return loaded;
}

/** Where the bundle's code cache may be, in order: beside the bundle, then the user's cache folder. */
export function codeCachePlaces(script: string, hash: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const cacheHome = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  return [`${script}.${hash}.cache`, ...(cacheHome ? [join(cacheHome, 'quantflow', `tui-bundle.${hash}.cache`)] : [])];
}

export function readCodeCache(places: string[]): Buffer | undefined {
  for (const p of places) {
    try {
      return readFileSync(p);
    } catch {
      // not there: the next place
    }
  }
  return undefined;
}

/**
 * Writes the cache, atomically, to the first place that takes it and returns that place (undefined
 * when none does: compile each time). In the user's folder, caches of other builds beyond the
 * three newest go (several installs may share the folder).
 */
export function writeCodeCache(places: string[], data: Buffer): string | undefined {
  for (const [i, p] of places.entries()) {
    try {
      mkdirSync(dirname(p), { recursive: true });
      const tmp = `${p}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, p);
      if (i > 0) {
        const dir = dirname(p);
        const old = readdirSync(dir)
          .filter((f) => /^tui-bundle\.[0-9a-f]+\.cache$/.test(f) && join(dir, f) !== p)
          .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
          .sort((a, b) => b.t - a.t)
          .slice(2);
        for (const { f } of old) rmSync(join(dir, f), { force: true });
      }
      return p;
    } catch {
      // read-only here: the next place
    }
  }
  return undefined;
}
