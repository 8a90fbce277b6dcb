/**
 * A hand-built bundle shaped like the original system's workflows (run_system with three SubProcess
 * children; Shell tasks with local_params; a SageMaker task), as the loader would produce it.
 */
import type { TaskDef, WorkflowBundle, WorkflowDef } from '../../../src/workflow/model.js';
import { taskDef, workflowDef } from '../../support/workflow-defs.js';

const loc = (file: string, line: number) => ({ file, line, col: 5 });

export function task(file: string, line: number, t: Partial<TaskDef> & Pick<TaskDef, 'name' | 'type'>): TaskDef {
  return taskDef(t.name, { typeAsWritten: t.type, loc: loc(file, line), ...t });
}

export function workflow(name: string, tasks: TaskDef[], extra: Partial<WorkflowDef> = {}): WorkflowDef {
  return workflowDef(name, `/wf/${name}.yaml`, tasks, { project: 'project-pydolphin', params: { project: 'stock' }, loc: loc(`/wf/${name}.yaml`, 2), ...extra });
}

export function bundleOf(order: WorkflowDef[]): WorkflowBundle {
  return { root: order[order.length - 1]!, byName: new Map(order.map((w) => [w.name, w])), order };
}

const projectParam = { prop: 'project', direct: 'IN' as const, type: 'VARCHAR' as const, value: '${project}' };
const training = { prop: 's3_training_data_path', direct: 'IN' as const, type: 'VARCHAR' as const, value: 's3://ds-stock/dataset/dataset.csv' };
const inference = { prop: 's3_inference_data_path', direct: 'IN' as const, type: 'VARCHAR' as const, value: 's3://ds-stock/dataset/inference.csv' };
export const SAGEMAKER_JSON = JSON.stringify(
  {
    PipelineName: 'stock-train',
    PipelineParameters: [
      { Name: 'TrainingData', Value: '${s3_training_data_path}' },
      { Name: 'InferenceData', Value: '${s3_inference_data_path}' },
    ],
  },
  null,
  2,
);

export function originalBundle(opts: { withoutTask?: string } = {}): WorkflowBundle {
  const f = (n: string) => `/wf/${n}.yaml`;
  const prepare = workflow('prepare_datas', [
    task(f('prepare_datas'), 10, { name: 'download_data', type: 'SHELL', script: 'quantflow data download --market ${project}', localParams: [projectParam] }),
    task(f('prepare_datas'), 16, { name: 'calc_signals', type: 'SHELL', deps: ['download_data'], script: 'quantflow analysis signals', localParams: [projectParam] }),
    task(f('prepare_datas'), 22, { name: 'calc_features', type: 'SHELL', deps: ['download_data'], script: 'quantflow analysis features', localParams: [projectParam] }),
    task(f('prepare_datas'), 28, { name: 'merge', type: 'SHELL', deps: ['calc_signals', 'calc_features'], script: 'echo merged $[yyyyMMdd-1]', timeout: 30, timeoutNotifyStrategy: 'FAILED' }),
  ]);
  const trainTasks = [
    task(f('train_model'), 10, { name: 'prepare_training_data', type: 'SHELL', script: 'quantflow ml dataset --out ${s3_training_data_path}', localParams: [projectParam, training] }),
    task(f('train_model'), 16, { name: 'prepare_inference_data', type: 'SHELL', script: 'quantflow ml dataset --inference --out ${s3_inference_data_path}', localParams: [projectParam, inference] }),
    task(f('train_model'), 22, {
      name: 'sagemaker',
      type: 'SAGEMAKER',
      typeAsWritten: 'SageMaker',
      deps: ['prepare_inference_data', 'prepare_training_data'],
      sagemakerRequestJson: SAGEMAKER_JSON,
      localParams: [training, inference],
      timeout: 120,
    }),
  ].filter((t) => t.name !== opts.withoutTask);
  const train = workflow('train_model', trainTasks);
  const recommend = workflow('recommend_stock', [
    task(f('recommend_stock'), 10, { name: 'recommend', type: 'SHELL', script: 'quantflow ml recommend --project ${project}', localParams: [projectParam] }),
  ]);
  const root = workflow(
    'run_system',
    [
      task(f('run_system'), 9, { name: 'prepare_datas', type: 'SUB_PROCESS', typeAsWritten: 'SubProcess', childWorkflow: 'prepare_datas' }),
      task(f('run_system'), 13, { name: 'train_model', type: 'SUB_PROCESS', typeAsWritten: 'SubProcess', childWorkflow: 'train_model', deps: ['prepare_datas'] }),
      task(f('run_system'), 18, { name: 'recommend_stock', type: 'SUB_PROCESS', typeAsWritten: 'SubProcess', childWorkflow: 'recommend_stock', deps: ['train_model'] }),
    ],
    { run: true },
  );
  return bundleOf([prepare, train, recommend, root]);
}

/** Logic tasks: a Switch and a Condition. */
export function logicBundle(): WorkflowBundle {
  const f = '/wf/logic.yaml';
  return bundleOf([
    workflow(
      'logic',
      [
        task(f, 5, { name: 'coin', type: 'SHELL', script: 'echo "Start"' }),
        task(f, 8, {
          name: 'condition',
          type: 'CONDITIONS',
          deps: ['coin'],
          condition: { successTask: 'head', failedTask: 'tail', op: 'AND', groups: [{ op: 'AND', items: [{ task: 'coin', flag: true }] }] },
        }),
        task(f, 15, { name: 'head', type: 'SHELL', script: 'echo head', deps: ['condition'] }),
        task(f, 18, { name: 'tail', type: 'SHELL', script: 'echo tail', deps: ['condition'] }),
        task(f, 21, {
          name: 'switch',
          type: 'SWITCH',
          deps: ['head'],
          switchBranches: [{ task: 'taskA', condition: '${switchValue} == "A"' }, { task: 'taskB', condition: '${switchValue} == "B"' }, { task: 'other' }],
        }),
        task(f, 28, { name: 'taskA', type: 'SHELL', script: 'echo A', deps: ['switch'] }),
        task(f, 30, { name: 'taskB', type: 'PYTHON', script: 'print("B")', deps: ['switch'] }),
        task(f, 32, { name: 'other', type: 'NOOP', deps: ['switch'] }),
      ],
      { params: { switchValue: 'A' } },
    ),
  ]);
}
