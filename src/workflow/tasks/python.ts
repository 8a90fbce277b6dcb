/** Python: the resolved `definition` run by python3 (a `def f(` definition gets a call `f()` appended, as PyDS does). */
import type { TaskExecutor, TaskContext } from './types.js';
import { runProcess } from './process.js';
import { writeScript } from './script-file.js';

function program(ctx: TaskContext): string {
  const text = ctx.resolve(ctx.task.script ?? '');
  const m = /^def (\w+)\(/.exec(text);
  return m ? `${text}\n${m[1]}()\n` : text;
}

export const pythonExecutor: TaskExecutor = {
  describe: (ctx) => program(ctx),
  async run(ctx) {
    const file = writeScript(ctx.taskInstanceId, 'py', program(ctx));
    try {
      return await runProcess(ctx, process.env.QUANTFLOW_PYTHON || 'python3', [file.path]);
    } finally {
      file.remove();
    }
  },
};
