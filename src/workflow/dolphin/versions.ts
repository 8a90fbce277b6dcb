/** What differs between the DolphinScheduler versions quantflow targets (spec §0, §4.2, §8). */
import { badInput } from '../../core/errors.js';

export const DS_VERSIONS = ['3.1', '3.2', '3.3'] as const;
export type DsVersion = (typeof DS_VERSIONS)[number];
export const DEFAULT_DS_VERSION: DsVersion = '3.2';

export function parseDsVersion(v: string | undefined): DsVersion {
  if (v === undefined || v === '') return DEFAULT_DS_VERSION;
  const m = /^(3\.[123])(\.\d+)?$/.exec(v.trim());
  if (!m) throw badInput(`--ds-version must be 3.1, 3.2 or 3.3, got "${v}"`);
  return m[1] as DsVersion;
}

/** Task types each version's worker/master plugins provide (of those quantflow can model). */
const COMMON_TYPES = ['SHELL', 'PYTHON', 'SAGEMAKER', 'CONDITIONS', 'SWITCH', 'DEPENDENT', 'HTTP', 'SQL', 'PROCEDURE', 'SPARK', 'FLINK', 'MR', 'DATAX', 'K8S', 'MLFLOW', 'DVC', 'OPENMLDB', 'PYTORCH'];
export const TASK_TYPES_BY_VERSION: Record<DsVersion, ReadonlySet<string>> = {
  '3.1': new Set([...COMMON_TYPES, 'SUB_PROCESS']),
  '3.2': new Set([...COMMON_TYPES, 'SUB_PROCESS']),
  '3.3': new Set([...COMMON_TYPES, 'SUB_WORKFLOW']),
};

/** REST names per version. */
export interface Dialect {
  version: DsVersion;
  /** `process-definition` | `workflow-definition` */
  definitions: string;
  /** `process-instances` | `workflow-instances` */
  instances: string;
  /** `start-process-instance` | `start-workflow-instance` */
  start: string;
  /** The definition-code form field of start and schedules. */
  definitionCodeField: string;
  priorityField: string;
  /** The instance-id field of `executors/execute`. */
  instanceIdField: string;
  /** Keys of the query-by-name answer. */
  byName: { definition: string; relations: string; tasks: string };
  subTaskType: 'SUB_PROCESS' | 'SUB_WORKFLOW';
  subCodeField: 'processDefinitionCode' | 'workflowDefinitionCode';
  tenantOnCreate: boolean;
}

export function dialectOf(version: DsVersion): Dialect {
  const v33 = version === '3.3';
  return {
    version,
    definitions: v33 ? 'workflow-definition' : 'process-definition',
    instances: v33 ? 'workflow-instances' : 'process-instances',
    start: v33 ? 'start-workflow-instance' : 'start-process-instance',
    definitionCodeField: v33 ? 'workflowDefinitionCode' : 'processDefinitionCode',
    priorityField: v33 ? 'workflowInstancePriority' : 'processInstancePriority',
    instanceIdField: v33 ? 'workflowInstanceId' : 'processInstanceId',
    byName: v33
      ? { definition: 'workflowDefinition', relations: 'workflowTaskRelationList', tasks: 'taskDefinitionList' }
      : { definition: 'processDefinition', relations: 'processTaskRelationList', tasks: 'taskDefinitionList' },
    subTaskType: v33 ? 'SUB_WORKFLOW' : 'SUB_PROCESS',
    subCodeField: v33 ? 'workflowDefinitionCode' : 'processDefinitionCode',
    tenantOnCreate: version === '3.1',
  };
}
