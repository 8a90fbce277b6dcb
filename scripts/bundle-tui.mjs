#!/usr/bin/env node
/**
 * Bundles the TUI for a fast start: src/tui/main.tsx and what it reaches (Ink, React, yaml, zod,
 * the workflow loader, the run store, and lazily the other screens' modules) become one script,
 * dist/tui-bundle/main.cjs, instead of some 400 files that Node's ESM loader would resolve, read,
 * scan and link one by one (about 1 s of the TUI's start-up on a small machine). `npm run build`
 * and `prepare` (so `npm install` in a checkout) run it after tsc; the test global setup runs it
 * after its transpile, so the tmux test starts the TUI the way a user does. src/tui/bundle.ts
 * loads it (with a V8 code cache) when it is there and not older than the dist/ files it was
 * built from; else the TUI starts from the unbundled dist/tui/main.js.
 *
 * - One CommonJS script so V8 can keep a code cache of it (vm.Script cachedData; Node 20 has no
 *   compile cache for ES modules). Modules that only later screens import stay lazy inside it
 *   (esbuild runs their top level on first import).
 * - The modules the unbundled CLI has already loaded before it opens the TUI (cli/*, tui/run,
 *   tui/bundle, tui/cli-entry and their static imports: core/errors, core/config) are not copied:
 *   the bundle requires them by their dist/ path and the loader hands it those very modules, so
 *   there is one QuantflowError class and one config state, not two.
 * - `import.meta.url` in every bundled file is rewritten to that file's own location (its dist/
 *   file, or its node_modules file), so paths.ts, worker URLs and createRequire resolve as they
 *   do unbundled. The bundle sits at the same depth as dist/tui/, so a computed relative import
 *   (the pattern catalog) resolves to the same dist/ file too.
 * - Two top-level awaits cannot be in a script: yoga-layout's (its WebAssembly; the loader awaits
 *   a `yogaReady` promise before anything uses Yoga) and Ink's React-devtools hook, which only
 *   runs with DEV=true (the loader then takes the unbundled path, where it works as usual).
 * - Ink's per-frame work is cut down: its caches and unchanged rows kept across frames, its
 *   incremental writer fixed. These and the await edits live in tui-patches.mjs.
 * - Native addons and the AWS SDK stay external packages, required when first used.
 * - React's production build (NODE_ENV=production), as any shipped React app; unbundled runs
 *   (tests through ink-testing-library, QUANTFLOW_TUI_BUNDLE=0) keep React's development build.
 *
 * Without esbuild (an install without dev dependencies) it removes any old bundle and says so:
 * the TUI then starts unbundled, slower but the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PATCHES, applyPatches } from './tui-patches.mjs';

const EXTERNAL_PACKAGES = ['better-sqlite3', 'tulind', 'talib', '@aws-sdk/*', 'react-devtools-core'];
/** The CLI's path to the TUI, loaded unbundled before the bundle is. */
const CLI_ENTRIES = ['src/cli/main.ts', 'src/tui/run.ts', 'src/tui/bundle.ts', 'src/tui/cli-entry.ts'];
/** The bundle's entry: Yoga's WebAssembly first, then the TUI's module. */
const ENTRY = "import { yogaReady } from 'yoga-layout';\nexport async function load() {\n  await yogaReady;\n  return import('./main.tsx');\n}\n";


const posix = (p) => p.split(sep).join('/');
const dotted = (p) => (p.startsWith('.') ? p : `./${p}`);

/** @param {{ root?: string, quiet?: boolean }} [opts] */
export async function bundleTui(opts = {}) {
  const root = resolve(opts.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const say = (s) => opts.quiet || process.stderr.write(`${s}\n`);
  const src = join(root, 'src');
  const dist = join(root, 'dist');
  const outdir = join(dist, 'tui-bundle');
  const outfile = join(outdir, 'main.cjs');
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    rmSync(outdir, { recursive: true, force: true });
    say('bundle-tui: esbuild is not installed (no dev dependencies); the TUI will start unbundled');
    return undefined;
  }
  const t0 = performance.now();

  // What the CLI loads statically on its way to the TUI: shared with the bundle, not copied.
  const cli = await esbuild.build({
    entryPoints: CLI_ENTRIES.map((e) => join(root, e)),
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: join(root, 'node_modules', '.cache', 'bundle-tui-probe'),
    logLevel: 'silent',
  });
  const shared = new Set();
  const todo = [...CLI_ENTRIES];
  while (todo.length) {
    const k = todo.pop();
    if (shared.has(k) || !cli.metafile.inputs[k]) continue;
    shared.add(k);
    for (const i of cli.metafile.inputs[k].imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
  }
  const sharedAbs = new Set([...shared].map((k) => join(root, k)));

  const distOf = (abs) => join(dist, relative(src, abs)).replace(/\.tsx?$/, '.js');
  const fromOut = (abs) => dotted(posix(relative(outdir, abs)));
  const inSrc = (p) => p.startsWith(src + sep);
  const loaderOf = (p) => (p.endsWith('.tsx') ? 'tsx' : p.endsWith('.ts') ? 'ts' : 'js');
  const sharedUsed = new Set();
  const patched = new Set();

  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: join(src, 'tui'), sourcefile: 'bundle-entry.ts', loader: 'ts' },
    absWorkingDir: root,
    outfile,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: EXTERNAL_PACKAGES,
    plugins: [
      {
        name: 'quantflow-tui',
        setup(b) {
          b.onResolve({ filter: /^\./ }, async (a) => {
            if (a.pluginData === 'qf-inner' || a.kind === 'entry-point' || !inSrc(a.importer)) return undefined;
            const r = await b.resolve(a.path, { resolveDir: a.resolveDir, kind: a.kind, importer: a.importer, pluginData: 'qf-inner' });
            if (r.errors.length > 0 || !sharedAbs.has(r.path)) return undefined;
            const spec = fromOut(distOf(r.path));
            sharedUsed.add(spec);
            return { path: spec, external: true };
          });
          b.onLoad({ filter: /\.(m?js|tsx?)$/ }, (a) => {
            const own = inSrc(a.path);
            const original = readFileSync(a.path, 'utf8');
            let text = applyPatches(a.path, original, patched);
            if (text.includes('import.meta.url')) {
              const here = JSON.stringify(fromOut(own ? distOf(a.path) : a.path));
              text = text.replaceAll('import.meta.url', `new URL(${here},__qfBundleUrl).href`);
            }
            if (!own && text === original) return undefined;
            return { contents: text, loader: loaderOf(a.path), resolveDir: dirname(a.path) };
          });
        },
      },
    ],
  });
  if (patched.size !== PATCHES.length) throw new Error('bundle-tui: a patch did not apply (yoga-layout or ink changed); update scripts/tui-patches.mjs');
  const code = result.outputFiles.find((f) => f.path === outfile)?.contents;
  if (!code) throw new Error('bundle-tui: esbuild wrote no main.cjs');
  // A script run from a V8 code cache cannot import() (Node 20 loses the callback), so every lazy
  // module must be inside the bundle: a computed path (import(spec)) would not be.
  const dyn = /\bimport\((?!\))/.exec(new TextDecoder().decode(code));
  if (dyn) throw new Error(`bundle-tui: the bundle still has a dynamic import() (a computed path?) near ${JSON.stringify(new TextDecoder().decode(code).slice(dyn.index - 80, dyn.index + 40))}; import a literal path instead`);

  const inputs = Object.keys(result.metafile.inputs)
    .map((k) => join(root, k))
    .filter((p) => inSrc(p) && existsSync(p))
    .map((p) => posix(relative(dist, distOf(p))))
    .sort();
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  // Written atomically, the script before its manifest; code caches of earlier builds go.
  mkdirSync(outdir, { recursive: true });
  const write = (path, contents) => {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, contents);
    renameSync(tmp, path);
  };
  // The hash also heads the script, so the loader keys the code cache by the very source it runs
  // (V8 checks little more than a cache's source length).
  write(outfile, Buffer.concat([Buffer.from(`//qf-bundle ${hash}\n`), code]));
  write(join(outdir, 'manifest.json'), `${JSON.stringify({ builtAt: Date.now(), hash, shared: [...sharedUsed].sort(), inputs })}\n`);
  for (const name of readdirSync(outdir)) if (name !== 'main.cjs' && name !== 'manifest.json' && !name.endsWith(`.${hash}.cache`) && !name.endsWith('.tmp')) rmSync(join(outdir, name), { force: true });
  say(`bundle-tui: dist/tui-bundle/main.cjs ${(code.length / 1024).toFixed(0)} KiB from ${inputs.length} sources in ${(performance.now() - t0).toFixed(0)} ms`);
  return { outdir, inputs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (!existsSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'tui', 'main.tsx'))) process.exit(0);
  await bundleTui();
}
