/** NOOP, Condition and Switch: tasks the engine evaluates itself, without a process. */
import { runInNewContext } from 'node:vm';
import type { TaskExecutor, TaskContext } from './types.js';

export const noopExecutor: TaskExecutor = {
  inline: true,
  instant: true,
  describe: () => '(no-op)',
  run: async () => ({ state: 'SUCCESS' }),
};

function conditionHolds(ctx: TaskContext): boolean {
  const spec = ctx.task.condition;
  if (!spec) return true;
  const itemOk = (task: string, flag: boolean) => {
    const s = ctx.upstreamStates.get(task);
    return flag ? s === 'SUCCESS' || s === 'FORCED_SUCCESS' : s === 'FAILURE' || s === 'KILL' || s === 'NEED_FAULT_TOLERANCE';
  };
  const groups = spec.groups.map((g) => {
    const items = g.items.map((i) => itemOk(i.task, i.flag));
    return g.op === 'OR' ? items.some(Boolean) : items.every(Boolean);
  });
  return spec.op === 'OR' ? groups.some(Boolean) : groups.every(Boolean);
}

export const conditionExecutor: TaskExecutor = {
  inline: true,
  instant: true,
  retryable: false,
  describe: (ctx) => `(condition: success -> ${ctx.task.condition?.successTask ?? '-'}, failure -> ${ctx.task.condition?.failedTask ?? '-'})`,
  async run(ctx) {
    const ok = conditionHolds(ctx);
    const spec = ctx.task.condition;
    const notTaken = ok ? spec?.failedTask : spec?.successTask;
    ctx.log('system', `condition ${ok ? 'true' : 'false'}: ${ok ? 'success' : 'failed'} branch ${ok ? spec?.successTask ?? '-' : spec?.failedTask ?? '-'}`);
    return { state: 'SUCCESS', skip: notTaken ? [notTaken] : [] };
  },
};

/** `${p}` replaced: numbers and booleans raw, anything else quoted ('' -> ""), as DolphinScheduler's SwitchTaskUtils. */
export function switchExpression(expr: string, params: Readonly<Record<string, string>>): string {
  return expr.replace(/\$\{([^{}]+)\}/g, (whole, name: string) => {
    const v = params[name.trim()];
    if (v === undefined) return whole;
    if (/^-?\d+(\.\d+)?$/.test(v) || v === 'true' || v === 'false') return v;
    return `"${v.replace(/'/g, '"').replace(/"/g, '\\"')}"`;
  });
}

export const switchExecutor: TaskExecutor = {
  inline: true,
  instant: true,
  retryable: false,
  describe: (ctx) => `(switch: ${(ctx.task.switchBranches ?? []).map((b) => `${b.condition ? switchExpression(b.condition, ctx.params) : 'default'} -> ${b.task}`).join('; ')})`,
  async run(ctx) {
    const branches = ctx.task.switchBranches ?? [];
    let chosen: string | undefined;
    for (const b of branches) {
      if (b.condition === undefined) continue;
      const expr = switchExpression(b.condition, ctx.params);
      let value: unknown;
      try {
        value = runInNewContext(expr, Object.create(null), { timeout: 1000 });
      } catch (e) {
        return { state: 'FAILURE', message: `switch condition "${expr}" failed: ${(e as Error).message}` };
      }
      if (value) {
        chosen = b.task;
        break;
      }
    }
    chosen ??= branches.find((b) => b.condition === undefined)?.task;
    ctx.log('system', chosen ? `switch: branch ${chosen}` : 'switch: no branch matched and no default');
    return { state: 'SUCCESS', skip: branches.map((b) => b.task).filter((t) => t !== chosen) };
  },
};
