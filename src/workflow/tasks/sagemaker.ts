/**
 * The SageMaker task type, with DolphinScheduler's behaviour (dolphinscheduler.md §5): the request
 * JSON after ${param} and $[...] substitution starts a pipeline execution with a generated
 * ClientRequestToken; the task follows it (every 5 s by default, QUANTFLOW_SAGEMAKER_POLL_MS to
 * change), reports each pipeline step as a step event, and succeeds only on Succeeded. Killing the
 * task (a stop, END strategy, a FAILED timeout) stops the execution and waits until it has stopped.
 * The ARN and token are stored on the task instance before tracking starts, so a quantflow that died
 * mid-execution resumes tracking the same execution on recover instead of starting a second one;
 * an execution that reached its end is never resumed (a retry starts a new one, as in DolphinScheduler).
 */
import { parseStartRequest, startExecution, trackExecution, type ExecutionRef } from '../../cloud/sagemaker/executions.js';
import { setting } from '../../core/config.js';
import { errorMessage } from '../../core/errors.js';
import type { TaskContext, TaskExecutor, TaskResult } from './types.js';

interface StoredExecution {
  pipelineExecutionArn?: string;
  clientRequestToken?: string;
  finished?: boolean;
  status?: string;
}

function pollMs(): number {
  const v = Number(setting('sagemaker.poll_ms', undefined, '5000'));
  return Number.isFinite(v) && v > 0 ? v : 5000;
}

export const sagemakerExecutor: TaskExecutor = {
  // A SubProcess-like remote task: DolphinScheduler retries it by starting a new execution, which
  // the runner does on FAILURE; it occupies no local process slot.
  inline: true,
  describe(ctx: TaskContext): string {
    return ctx.resolve(ctx.task.sagemakerRequestJson ?? '');
  },
  async run(ctx: TaskContext): Promise<TaskResult> {
    let ref: ExecutionRef;
    try {
      const text = ctx.resolve(ctx.task.sagemakerRequestJson ?? '');
      const request = parseStartRequest(text, (w) => ctx.log('system', `warning: ${w}`));
      const prev = ctx.previousExternal as StoredExecution | undefined;
      if (prev?.pipelineExecutionArn && !prev.finished) {
        ref = { arn: prev.pipelineExecutionArn, token: prev.clientRequestToken };
        ctx.log('system', `resuming the pipeline execution ${ref.arn}`);
      } else {
        ref = await startExecution(request);
        ctx.log('system', `started the pipeline execution ${ref.arn} of ${request.PipelineName}`);
      }
      ctx.setExternal({ pipelineExecutionArn: ref.arn, clientRequestToken: ref.token, finished: false } satisfies StoredExecution);
    } catch (e) {
      return { state: 'FAILURE', message: errorMessage(e) };
    }
    try {
      const r = await trackExecution(ref, {
        pollMs: pollMs(),
        signal: ctx.signal,
        onStep: (s) => ctx.step(s.name, s.status, s.failureReason),
        log: (line) => ctx.log('stdout', line),
      });
      ctx.setExternal({ pipelineExecutionArn: ref.arn, clientRequestToken: ref.token, finished: true, status: r.status } satisfies StoredExecution);
      if (r.status === 'Succeeded') return { state: 'SUCCESS', exitCode: 0 };
      if (r.stopped) return { state: 'KILL', message: `the pipeline execution was stopped (${r.status})` };
      return { state: 'FAILURE', exitCode: 1, message: `the pipeline execution ended ${r.status}${r.failureReason ? `: ${r.failureReason}` : ''}` };
    } catch (e) {
      // SageMaker could not be asked at all; the execution may still be running, so keep it resumable.
      return { state: 'FAILURE', message: errorMessage(e) };
    }
  },
};
