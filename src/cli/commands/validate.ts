/**
 * `quantflow validate FILE...` and `quantflow graph FILE`: load PyDolphinScheduler YAML workflows
 * (with their $WORKFLOW children) and report every problem with `path:line:col`.
 * Exit 0 when every file loads (warnings allowed), 2 when any has an error.
 */
import type { Command } from 'commander';
import { action, printJson } from '../action.js';
import { ExitCode } from '../../core/errors.js';

type Diagnostic = import('../../workflow/model.js').Diagnostic;
type WorkflowDef = import('../../workflow/model.js').WorkflowDef;

function diagJson(d: Diagnostic): Record<string, unknown> {
  return { severity: d.severity, file: d.loc.file, line: d.loc.line, col: d.loc.col, message: d.message };
}

async function validate(files: string[], opts: { compat?: boolean; json?: boolean }): Promise<number> {
  const { loadWorkflowFile, formatDiagnostic } = await import('../../workflow/dialect/load.js');
  const seen = new Set<string>();
  const printed = new Set<string>();
  const workflows: { name: string; file: string; tasks: number }[] = [];
  const diagnostics: Diagnostic[] = [];
  let failed = false;
  for (const file of files) {
    const r = loadWorkflowFile(file, { compat: opts.compat });
    for (const d of r.diagnostics) {
      const line = formatDiagnostic(d);
      if (printed.has(line)) continue; // a child shared by two files reports once
      printed.add(line);
      diagnostics.push(d);
      if (!opts.json) process.stderr.write(`${line}\n`);
    }
    if (!r.bundle) {
      failed = true;
      continue;
    }
    for (const wf of r.bundle.order) {
      if (seen.has(wf.file)) continue;
      seen.add(wf.file);
      workflows.push({ name: wf.name, file: wf.file, tasks: wf.tasks.length });
      if (!opts.json) process.stdout.write(`ok ${wf.name} (${wf.tasks.length} task${wf.tasks.length === 1 ? '' : 's'})\n`);
    }
  }
  if (opts.json) printJson({ ok: !failed, workflows, diagnostics: diagnostics.map(diagJson) });
  return failed ? ExitCode.badInput : ExitCode.ok;
}

/** Level of each task: 0 for roots, else one more than its deepest upstream. */
function levels(wf: WorkflowDef, order: string[]): Map<string, number> {
  const byName = new Map(wf.tasks.map((t) => [t.name, t]));
  const level = new Map<string, number>();
  for (const name of order) {
    let l = 0;
    for (const d of byName.get(name)?.deps ?? []) {
      const dl = level.get(d);
      if (dl !== undefined) l = Math.max(l, dl + 1);
    }
    level.set(name, l);
  }
  return level;
}

async function graph(file: string, opts: { compat?: boolean; json?: boolean }): Promise<number> {
  const { loadWorkflowFile, formatDiagnostic } = await import('../../workflow/dialect/load.js');
  const { topoOrder } = await import('../../workflow/dag.js');
  const r = loadWorkflowFile(file, { compat: opts.compat });
  for (const d of r.diagnostics) if (d.severity === 'error' || !opts.json) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!r.bundle) return ExitCode.badInput;
  const out: { name: string; tasks: { name: string; type: string; level: number; deps: string[]; childWorkflow?: string }[] }[] = [];
  for (const wf of r.bundle.order) {
    const level = levels(wf, topoOrder(wf));
    // Rows by level (a topological order too), file order within a level.
    const fileIndex = new Map(wf.tasks.map((t, i) => [t.name, i]));
    const order = [...level.keys()].sort((a, b) => (level.get(a)! - level.get(b)!) || fileIndex.get(a)! - fileIndex.get(b)!);
    const byName = new Map(wf.tasks.map((t) => [t.name, t]));
    out.push({
      name: wf.name,
      tasks: order.map((n) => {
        const t = byName.get(n)!;
        return { name: n, type: t.type, level: level.get(n) ?? 0, deps: t.deps, ...(t.childWorkflow !== undefined ? { childWorkflow: t.childWorkflow } : {}) };
      }),
    });
  }
  if (opts.json) {
    printJson({ workflows: out });
    return ExitCode.ok;
  }
  const lines: string[] = [];
  for (const wf of out) {
    const depth = wf.tasks.reduce((m, t) => Math.max(m, t.level + 1), 0);
    if (lines.length > 0) lines.push('');
    lines.push(`workflow ${wf.name} (${wf.tasks.length} task${wf.tasks.length === 1 ? '' : 's'}, ${depth} level${depth === 1 ? '' : 's'})`);
    const nameW = Math.max(4, ...wf.tasks.map((t) => t.name.length));
    const typeW = Math.max(4, ...wf.tasks.map((t) => t.type.length));
    lines.push(`  ${'level'.padEnd(5)}  ${'task'.padEnd(nameW)}  ${'type'.padEnd(typeW)}  deps`);
    for (const t of wf.tasks) {
      const deps = t.deps.length > 0 ? t.deps.join(', ') : '-';
      const child = t.childWorkflow !== undefined ? `  (runs ${t.childWorkflow})` : '';
      lines.push(`  ${String(t.level).padEnd(5)}  ${t.name.padEnd(nameW)}  ${t.type.padEnd(typeW)}  ${deps}${child}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check PyDolphinScheduler YAML workflows (and their $WORKFLOW children); every problem as path:line:col')
    .argument('<file...>', 'workflow YAML files')
    .option('--compat', 'PyDolphinScheduler macro behaviour (first $ENV only, a missing variable becomes $NAME)')
    .option('--json', 'one JSON document: {ok, workflows, diagnostics}')
    .action(action((files: string[], opts: { compat?: boolean; json?: boolean }) => validate(files, opts)));
  program
    .command('graph')
    .description('print a workflow DAG as text: one task a row in topological order, with its level, type and deps')
    .argument('<file>', 'workflow YAML file')
    .option('--compat', 'PyDolphinScheduler macro behaviour')
    .option('--json', 'one JSON document: {workflows: [{name, tasks: [{name, type, level, deps}]}]}')
    .action(action((file: string, opts: { compat?: boolean; json?: boolean }) => graph(file, opts)));
}
