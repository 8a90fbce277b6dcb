/** Registers the task types this engine runs locally. */
import { registerTaskType, isRegistered } from './registry.js';
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
  // The SageMaker work registers the real executor (src/workflow/tasks/sagemaker.ts) over this one.
  if (!isRegistered('SAGEMAKER')) {
    registerTaskType('SAGEMAKER', {
      retryable: false,
      inline: true,
      describe: () => '(SageMaker pipeline)',
      run: async () => ({ state: 'FAILURE', message: 'the SageMaker task type is not available yet' }),
    });
  }
}
