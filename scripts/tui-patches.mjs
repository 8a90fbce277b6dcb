/**
 * The source edits the TUI bundle makes to its dependencies (scripts/bundle-tui.mjs applies them
 * as esbuild loads each file): two top-level awaits a script cannot have, yoga's wasm loading,
 * and Ink's per-frame work. Each edit names the text it replaces; the build fails if a
 * dependency update moves it. test/tui/ink-output-patch.test.ts runs the patched Ink Output
 * against Ink's own.
 */
import { readFileSync } from 'node:fs';

const ROWS_GET = readFileSync(new URL('./ink-output-rows.js', import.meta.url), 'utf8');

/** Source edits (the two top-level awaits, yoga's wasm loading, Ink's per-frame caches); the build fails if a dependency update moves them. */
export const PATCHES = [
  {
    file: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/,
    from: 'const Yoga = wrapAssembly(await loadYoga());\nexport default Yoga;',
    to: 'let Yoga;\nexport const yogaReady = loadYoga().then((m) => {\n  Yoga = wrapAssembly(m);\n});\nexport { Yoga as default };',
  },
  {
    file: /[\\/]ink[\\/]build[\\/]reconciler\.js$/,
    from: "await import('./devtools.js');",
    to: "throw new Error('the TUI bundle has no React devtools (DEV=true starts the unbundled TUI)');",
  },
  { file: /[\\/]ink[\\/]build[\\/]reconciler\.js$/, from: '? await loadPackageJson()', to: '? { name: undefined, version: undefined }' },
  // Emscripten fetches its inline wasm through fetch('data:...'), which loads undici (some 50 ms
  // of start-up) only to decode base64: take its own synchronous decoder of the same string.
  { file: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, from: 'function ya(){return w||"function"!=typeof fetch?', to: 'function ya(){return w||!0?' },
  // Ink builds a new Output, with new caches, every frame, so every line is tokenized and measured
  // again though most lines did not change: keep one set of caches across frames (emptied when it
  // grows large, so a log followed for hours does not grow it without end). Cached values are
  // only read, never changed, by Output.get.
  {
    file: /[\\/]ink[\\/]build[\\/]output\.js$/,
    from: '    caches = new OutputCaches();',
    to: '    caches = sharedOutputCaches();',
  },
  {
    file: /[\\/]ink[\\/]build[\\/]output\.js$/,
    from: 'export default class Output {',
    to: ROWS_GET + 'let sharedCaches;\nfunction sharedOutputCaches() {\n    if (sharedCaches === undefined || sharedCaches.styledChars.size > 600 || sharedCaches.widths.size > 5000)\n        sharedCaches = new OutputCaches();\n    return sharedCaches;\n}\nexport default class Output {',
  },
  // ...and keep the frame's rows: a row whose writes did not change is not painted again
  // (ink-output-rows.js says why and how).
  { file: /[\\/]ink[\\/]build[\\/]output\.js$/, from: '    get() {', to: '    get() {\n        return rowsGet(this);\n    }\n    inkGet() {' },
  // Ink 6.8's incremental writer (only the changed lines are written) moves the cursor up one
  // line too few when the last frame ended in a newline, which every frame of a screen shorter
  // than the terminal does: each frame then lands a row low and scrolls the screen. Its shrinking
  // branch already counts that trailing slot; this does the same in the other. The marker tells
  // main.tsx that the Ink it runs has the fix, so it may ask for incremental rendering.
  {
    file: /[\\/]ink[\\/]build[\\/]log-update\.js$/,
    from: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
    to: "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));",
  },
  {
    file: /[\\/]ink[\\/]build[\\/]log-update\.js$/,
    from: 'const createIncremental = ',
    to: "globalThis[Symbol.for('quantflow.inkIncrementalFixed')] = true;\nconst createIncremental = ",
  },
  // ...and after a resize the incremental writer's idea of what is on the screen is wrong (the
  // terminal has cut or moved lines), so unchanged lines would stay blank or stale: Ink clears
  // and redraws when the terminal got narrower; with incremental rendering, on every resize.
  {
    file: /[\\/]ink[\\/]build[\\/]ink\.js$/,
    from: '        if (currentWidth < this.lastTerminalWidth) {',
    to: '        if (currentWidth < this.lastTerminalWidth || this.options.incrementalRendering) {',
  },
  // Each frame Ink also measures every Text's widest line again to decide whether to wrap it; its
  // own measure-text cache (the one layout uses) gives the same width.
  {
    file: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/,
    from: "import widestLine from 'widest-line';",
    to: "import measureText from './measure-text.js';",
  },
  {
    file: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/,
    from: 'const currentWidth = widestLine(text);',
    to: 'const currentWidth = measureText(text).width;',
  },
];

/**
 * `text` (the file at `path`) with the patches for that file applied; the index of each applied
 * patch goes into `applied`. Throws when a patch's text is not found.
 * @param {string} path @param {string} text @param {Set<number>} [applied]
 */
export function applyPatches(path, text, applied = new Set()) {
  PATCHES.forEach((p, i) => {
    if (!p.file.test(path)) return;
    if (!text.includes(p.from)) throw new Error(`bundle-tui: ${path} no longer contains ${JSON.stringify(p.from)}; update scripts/tui-patches.mjs`);
    text = text.replace(p.from, p.to);
    applied.add(i);
  });
  return text;
}
