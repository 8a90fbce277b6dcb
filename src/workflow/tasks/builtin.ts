/** Registers the task types this engine runs locally. */
import { registerTaskType } from './registry.js';
import { shellExecutor } from './shell.js';
import { pythonExecutor } from './python.js';
import { noopExecutor, conditionExecutor, switchExecutor } from './logic.js';
import { subprocessExecutor } from './subprocess.js';

let done = false;

export function registerBuiltinTaskTypes(): void {
  if (done) return;
  done = true;
  registerTaskType('SHELL', shellExecutor);
  registerTaskType('PYTHON', pythonExecutor);
  registerTaskType('NOOP', noopExecutor);
  registerTaskType('CONDITIONS', conditionExecutor);
  registerTaskType('SWITCH', switchExecutor);
  registerTaskType('SUB_PROCESS', subprocessExecutor);
  // src/workflow/tasks/sagemaker.ts (the SageMaker work) is loaded on first use: the AWS SDK costs
  // about half a second to import, which runs of workflows without SageMaker tasks should not pay.
  registerTaskType('SAGEMAKER', {
    inline: true,
    describe: (ctx) => ctx.resolve(ctx.task.sagemakerRequestJson ?? ''),
    run: async (ctx) => (await import('./sagemaker.js')).sagemakerExecutor.run(ctx),
  });
}
