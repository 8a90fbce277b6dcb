#!/usr/bin/env node
/**
 * Bundles the TUI for a fast start: src/tui/main.tsx and what it reaches (Ink, React, yaml, zod,
 * the workflow loader, the run store) become a few ES modules in dist/tui-bundle/ instead of
 * some 400 files that Node's ESM loader would resolve, read and link one by one (about 1 s of
 * the TUI's start-up on a small machine). `npm run build` and `prepare` (so `npm install` in a
 * checkout) run it after tsc; the test global setup runs it after its transpile, so the tmux test
 * starts the TUI the way a user does. src/tui/run.ts imports the bundle when it is there and not
 * older than the dist/ files it was built from, else the unbundled dist/tui/main.js.
 *
 * - The start-up path (the TUI's static graph) is the entry chunk; what later screens import
 *   lazily (runner, market, picks, the AWS SDK) stays lazy as separate chunks (`splitting`), one
 *   copy of each module across them.
 * - The modules the unbundled CLI has already loaded before it opens the TUI (cli/*, tui/run,
 *   tui/cli-entry and their static imports: core/errors, core/config) stay external imports of the
 *   dist/ files, so there is one QuantflowError class and one config state, not two.
 * - `import.meta.url` in every bundled file is rewritten to that file's own location (its dist/
 *   file, or its node_modules file), so paths.ts, worker URLs and createRequire resolve as they
 *   do unbundled. The bundle sits at the same depth as dist/tui/, so a computed relative import
 *   (the pattern catalog) resolves to the same dist/ file too.
 * - Native addons and the AWS SDK stay external packages; Ink's React-devtools hook (DEV=true
 *   only) stays an import of Ink's own file, as unbundled.
 * - React's production build (NODE_ENV=production), as any shipped React app; unbundled runs
 *   (tests through ink-testing-library, QUANTFLOW_TUI_BUNDLE=0) keep React's development build.
 *
 * Without esbuild (an install without dev dependencies) it removes any old bundle and says so:
 * the TUI then starts unbundled, slower but the same.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const EXTERNAL_PACKAGES = ['better-sqlite3', 'tulind', 'talib', '@aws-sdk/*', 'react-devtools-core'];
/** The CLI's path to the TUI, loaded unbundled before the bundle is imported. */
const CLI_ENTRIES = ['src/cli/main.ts', 'src/tui/run.ts', 'src/tui/cli-entry.ts'];

const posix = (p) => p.split(sep).join('/');
const dotted = (p) => (p.startsWith('.') ? p : `./${p}`);

/** @param {{ root?: string, quiet?: boolean }} [opts] */
export async function bundleTui(opts = {}) {
  const root = resolve(opts.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const say = (s) => opts.quiet || process.stderr.write(`${s}\n`);
  const src = join(root, 'src');
  const dist = join(root, 'dist');
  const outdir = join(dist, 'tui-bundle');
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

  const result = await esbuild.build({
    entryPoints: { main: join(src, 'tui', 'main.tsx') },
    absWorkingDir: root,
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: '[name]-[hash]',
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: EXTERNAL_PACKAGES,
    // CommonJS packages inside an ES module bundle call require for Node's built-ins.
    banner: { js: "import{createRequire as __qfRequire}from'node:module';const require=__qfRequire(import.meta.url);" },
    plugins: [
      {
        name: 'quantflow-tui',
        setup(b) {
          b.onResolve({ filter: /^\./ }, async (a) => {
            if (a.pluginData === 'qf-inner' || a.kind === 'entry-point' || !inSrc(a.importer)) return undefined;
            const r = await b.resolve(a.path, { resolveDir: a.resolveDir, kind: a.kind, importer: a.importer, pluginData: 'qf-inner' });
            if (r.errors.length === 0 && sharedAbs.has(r.path)) return { path: fromOut(distOf(r.path)), external: true };
            return undefined;
          });
          b.onResolve({ filter: /^\.\/devtools\.js$/ }, (a) => {
            if (!/[\\/]ink[\\/]build[\\/]reconciler\.js$/.test(a.importer)) return undefined;
            return { path: fromOut(resolve(a.resolveDir, a.path)), external: true };
          });
          b.onLoad({ filter: /\.(m?js|tsx?)$/ }, (a) => {
            const own = inSrc(a.path);
            const text = readFileSync(a.path, 'utf8');
            if (!text.includes('import.meta.url')) return own ? { contents: text, loader: loaderOf(a.path) } : undefined;
            const here = JSON.stringify(fromOut(own ? distOf(a.path) : a.path));
            return { contents: text.replaceAll('import.meta.url', `new URL(${here},import.meta.url).href`), loader: loaderOf(a.path), resolveDir: dirname(a.path) };
          });
        },
      },
    ],
  });

  // Chunks first (content-hashed names: a TUI already running keeps finding the ones it may still
  // import), each written atomically; the manifest and main.js last.
  mkdirSync(outdir, { recursive: true });
  const written = new Set();
  const write = (path, contents) => {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, contents);
    renameSync(tmp, path);
    written.add(path);
  };
  const files = [...result.outputFiles].sort((x, y) => Number(x.path.endsWith(`${sep}main.js`)) - Number(y.path.endsWith(`${sep}main.js`)));
  const inputs = Object.keys(result.metafile.inputs)
    .map((k) => join(root, k))
    .filter((p) => inSrc(p))
    .map((p) => posix(relative(dist, distOf(p))));
  for (const f of files) {
    if (f.path.endsWith(`${sep}main.js`)) write(join(outdir, 'manifest.json'), `${JSON.stringify({ builtAt: Date.now(), inputs: inputs.sort() })}\n`);
    write(f.path, f.contents);
  }
  // Chunks of earlier builds: removed once they are an hour old.
  for (const name of readdirSync(outdir)) {
    const p = join(outdir, name);
    if (!written.has(p) && Date.now() - statSync(p).mtimeMs > 3_600_000) rmSync(p, { force: true });
  }
  const main = result.metafile.outputs[posix(relative(root, join(outdir, 'main.js')))];
  say(`bundle-tui: dist/tui-bundle/main.js ${((main?.bytes ?? 0) / 1024).toFixed(0)} KiB + ${files.length - 1} lazy chunks from ${inputs.length} sources in ${(performance.now() - t0).toFixed(0)} ms`);
  return { outdir, inputs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (!existsSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'tui', 'main.tsx'))) process.exit(0);
  await bundleTui();
}
