/**
 * Compiles src/ to dist/ once before the suites, so tests that spawn the `quantflow` bin (and Shell
 * tasks that call it) run the code under test, not a stale build. esbuild transpiles file by file
 * (the same module layout tsc emits) in well under a second; type errors are `npm run typecheck`'s
 * job, which CI runs separately. Then the TUI's start-up bundle (scripts/bundle-tui.mjs), as
 * `npm run build` makes it, so tests that start the TUI through the bin start it as a user does.
 */
import { build } from 'esbuild';
import { bundleTui } from '../../scripts/bundle-tui.mjs';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '..', '..');
  await build({
    entryPoints: sources(join(root, 'src')),
    outdir: join(root, 'dist'),
    outbase: join(root, 'src'),
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    logLevel: 'error',
  });
  try {
    await bundleTui({ root, quiet: true });
  } catch (e) {
    // A file someone is still writing: the TUI then starts unbundled (src/tui/run.ts checks).
    console.warn(`global setup: the TUI bundle failed, the TUI starts unbundled: ${(e as Error).message.split('\n')[0]}`);
  }
}
