/** Task types by DolphinScheduler taskType. Unknown types fail with "<TYPE> tasks are not runnable locally". */
import type { TaskType } from '../model.js';
import type { TaskExecutor } from './types.js';

const executors = new Map<TaskType, TaskExecutor>();

export function registerTaskType(type: TaskType, executor: TaskExecutor): void {
  executors.set(type, executor);
}

function notRunnable(type: string): TaskExecutor {
  return {
    inline: true,
    retryable: false,
    describe: () => `(${type} tasks are not runnable locally)`,
    run: async () => ({ state: 'FAILURE', message: `${type} tasks are not runnable locally` }),
  };
}

export function executorFor(type: TaskType): TaskExecutor {
  return executors.get(type) ?? notRunnable(type);
}

export function registeredTypes(): TaskType[] {
  return [...executors.keys()];
}

export function isRegistered(type: TaskType): boolean {
  return executors.has(type);
}
