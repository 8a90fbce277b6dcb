/**
 * Loads a PyDolphinScheduler YAML workflow and every workflow it references through
 * `$WORKFLOW{"file.yaml"}` (spec §1.1): the raw-text pre-pass (comments included), children loaded
 * first and once per resolved path, cycles between files reported with their chain, then YAML,
 * macros, schema and graph checks. Every problem comes back at once as a located Diagnostic.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ExitCode, QuantflowError, formatLocation } from '../../core/errors.js';
import type { Diagnostic, WorkflowBundle, WorkflowDef } from '../model.js';
import { addImpliedEdges, buildWorkflow, type BuildContext } from './build.js';
import { findWorkflowTokens, replaceTokens, resolveMacroPath } from './macros.js';
import { Positions, parseYaml } from './source.js';
import { validateWorkflow } from './validate.js';

export interface LoadOptions {
  /** PyDolphinScheduler's lenient macro behaviour (first `$ENV` only, missing variable -> `$NAME`). */
  compat?: boolean;
  /** The CWD that macro paths are tried against first (default: process.cwd()). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface LoadResult {
  /** Undefined when any file has an error. */
  bundle?: WorkflowBundle;
  /** Errors and warnings of every file, in file order. */
  diagnostics: Diagnostic[];
}

interface FileEntry {
  wf?: WorkflowDef;
  /** Absolute paths of the files its `$WORKFLOW{}` tokens name, deduplicated, in order. */
  children: string[];
}

/** Formats a diagnostic the way the CLI prints it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${formatLocation(d.loc)}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

/** The error `loadWorkflow` throws: exit 2, every error one per line. */
export class WorkflowLoadError extends QuantflowError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('WORKFLOW_INVALID', diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n'), { exitCode: ExitCode.badInput });
  }
}

class Loader {
  readonly files = new Map<string, FileEntry>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly stack: string[] = [];

  constructor(private readonly opts: Required<LoadOptions>) {}

  display(abs: string): string {
    const rel = relative(this.opts.cwd, abs);
    if (rel === '' || isAbsolute(rel)) return abs;
    return !rel.startsWith('..') || rel.length < abs.length ? rel : abs;
  }

  load(abs: string, from?: { positions: Positions; offset: number }): FileEntry {
    const cached = this.files.get(abs);
    if (cached) return cached;
    const entry: FileEntry = { children: [] };
    const file = this.display(abs);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      const loc = from ? from.positions.locAt(from.offset) : { file, line: 1, col: 1 };
      const code = (e as NodeJS.ErrnoException).code;
      this.diagnostics.push({ severity: 'error', message: code === 'ENOENT' ? `cannot read ${file}: no such file` : `cannot read ${file}: ${(e as Error).message}`, loc });
      this.files.set(abs, entry);
      return entry;
    }
    this.stack.push(abs);
    const baseDir = dirname(abs);
    const rawPositions = new Positions(file, text);
    const tokens = findWorkflowTokens(text);
    const names = new Map<number, string>();
    for (const t of tokens) {
      const child = resolveMacroPath(t.path, {
        cwd: this.opts.cwd,
        baseDir,
        onShadow: (m) => this.diagnostics.push({ severity: 'warning', message: `$WORKFLOW{"${t.path}"}: ${m}`, loc: rawPositions.locAt(t.start) }),
      });
      if (!child) {
        this.diagnostics.push({
          severity: 'error',
          message: `$WORKFLOW{"${t.path}"}: file not found (looked in ${this.opts.cwd} and ${baseDir})`,
          loc: rawPositions.locAt(t.start),
        });
        continue;
      }
      const childAbs = resolve(child);
      const inStack = this.stack.indexOf(childAbs);
      if (inStack >= 0) {
        const chain = [...this.stack.slice(inStack), childAbs].map((p) => this.display(p)).join(' -> ');
        this.diagnostics.push({ severity: 'error', message: `$WORKFLOW{"${t.path}"}: workflow files include each other: ${chain}`, loc: rawPositions.locAt(t.start) });
        continue;
      }
      const childEntry = this.load(childAbs, { positions: rawPositions, offset: t.start });
      if (!entry.children.includes(childAbs)) entry.children.push(childAbs);
      if (childEntry.wf) names.set(t.start, childEntry.wf.name);
    }
    const replaced = replaceTokens(
      text,
      tokens.filter((t) => names.has(t.start)),
      (t) => names.get(t.start) as string,
    );
    const parsed = parseYaml(file, replaced.text, text, replaced.toOriginal);
    this.diagnostics.push(...parsed.diagnostics);
    if (parsed.value !== undefined) {
      const ctx: BuildContext = {
        file: abs,
        positions: parsed.positions,
        macros: { compat: this.opts.compat, cwd: this.opts.cwd, baseDir, env: this.opts.env },
        diagnostics: [],
      };
      const wf = buildWorkflow(ctx, parsed.value);
      if (wf) {
        addImpliedEdges(wf);
        validateWorkflow(ctx, wf);
        entry.wf = wf;
      }
      this.diagnostics.push(...ctx.diagnostics);
    }
    this.stack.pop();
    this.files.set(abs, entry);
    return entry;
  }
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  // Stable: by file (first appearance), then line, then column.
  const fileRank = new Map<string, number>();
  for (const d of ds) if (!fileRank.has(d.loc.file)) fileRank.set(d.loc.file, fileRank.size);
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const fa = fileRank.get(a.d.loc.file) as number;
      const fb = fileRank.get(b.d.loc.file) as number;
      return fa - fb || a.d.loc.line - b.d.loc.line || a.d.loc.col - b.d.loc.col || a.i - b.i;
    })
    .map((x) => x.d);
}

/** Loads `path` and its `$WORKFLOW{}` children; never throws for a user error, never prints. */
export function loadWorkflowFile(path: string, opts: LoadOptions = {}): LoadResult {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const loader = new Loader({ compat: opts.compat ?? false, cwd, env: opts.env ?? process.env });
  const rootAbs = resolve(cwd, path);
  const root = loader.load(rootAbs);
  // Children before parents, each once.
  const order: WorkflowDef[] = [];
  const visited = new Set<string>();
  const visit = (abs: string): void => {
    if (visited.has(abs)) return;
    visited.add(abs);
    const e = loader.files.get(abs);
    if (!e) return;
    for (const c of e.children) visit(c);
    if (e.wf) order.push(e.wf);
  };
  visit(rootAbs);
  const byName = new Map<string, WorkflowDef>();
  for (const wf of order) {
    const other = byName.get(wf.name);
    if (other) {
      loader.diagnostics.push({
        severity: 'error',
        message: `workflow name "${wf.name}" is also used by ${loader.display(other.file)}; names must be unique in a project`,
        loc: wf.loc,
      });
      continue;
    }
    byName.set(wf.name, wf);
  }
  for (const wf of order) {
    for (const t of wf.tasks) {
      if (t.type === 'SUB_PROCESS' && t.childWorkflow !== undefined && !byName.has(t.childWorkflow) && !t.childWorkflow.includes('$WORKFLOW{')) {
        loader.diagnostics.push({
          severity: 'warning',
          message: `task "${t.name}": sub-workflow "${t.childWorkflow}" is not loaded with this file (write $WORKFLOW{"file.yaml"} to run it locally)`,
          loc: t.loc,
        });
      }
    }
  }
  const diagnostics = sortDiagnostics(loader.diagnostics);
  const hasError = diagnostics.some((d) => d.severity === 'error');
  if (hasError || !root.wf) return { diagnostics };
  return { bundle: { root: root.wf, byName, order }, diagnostics };
}

/** As loadWorkflowFile, but throws a WorkflowLoadError (a QuantflowError, exit 2) listing every error. */
export function loadWorkflow(path: string, opts: LoadOptions = {}): WorkflowBundle {
  const r = loadWorkflowFile(path, opts);
  if (!r.bundle) throw new WorkflowLoadError(r.diagnostics);
  return r.bundle;
}
