/** Shell: the resolved `command` written to a script and run by bash in its own process group. */
import type { TaskExecutor } from './types.js';
import { runProcess } from './process.js';
import { writeScript } from './script-file.js';

export const shellExecutor: TaskExecutor = {
  describe: (ctx) => ctx.resolve(ctx.task.script ?? ''),
  async run(ctx) {
    const script = ctx.resolve(ctx.task.script ?? '');
    const file = writeScript(ctx.taskInstanceId, 'sh', script);
    try {
      return await runProcess(ctx, 'bash', [file.path]);
    } finally {
      file.remove();
    }
  },
};
