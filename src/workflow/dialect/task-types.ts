/**
 * The `task_type` names PyDolphinScheduler's YAML accepts (matched case-insensitively, as PyDS's
 * `capitalize()` comparison does), their DolphinScheduler taskType, and the keys each type reads.
 */
import type { TaskType } from '../model.js';

export interface TaskTypeInfo {
  type: TaskType;
  /** The PyDS class name (for messages). */
  className: string;
  /** Type-specific keys (besides the common ones of §1.3). */
  keys: readonly string[];
  /** Keys that must be present. */
  required: readonly string[];
  /** Logic tasks read only `name` and their structure; the common keys are dropped (spec §1.5). */
  logic?: boolean;
}

const ENGINE = ['main_class', 'main_package', 'program_type', 'deploy_mode', 'app_name', 'main_args', 'others'];
const MLFLOW = ['mlflow_tracking_uri', 'experiment_name', 'parameters', 'model_name'];

const TABLE: TaskTypeInfo[] = [
  { type: 'SHELL', className: 'Shell', keys: ['command'], required: ['command'] },
  { type: 'PYTHON', className: 'Python', keys: ['definition'], required: ['definition'] },
  { type: 'SUB_PROCESS', className: 'SubProcess', keys: ['process_definition_name'], required: ['process_definition_name'] },
  { type: 'SUB_PROCESS', className: 'SubWorkflow', keys: ['workflow_name'], required: ['workflow_name'] },
  {
    type: 'SAGEMAKER',
    className: 'SageMaker',
    keys: ['sagemaker_request_json', 'datasource', 'datasource_name', 'region', 'aws_region', 'username', 'password'],
    required: ['sagemaker_request_json'],
  },
  { type: 'CONDITIONS', className: 'Condition', keys: ['success_task', 'failed_task', 'op', 'groups'], required: ['success_task', 'failed_task', 'groups'], logic: true },
  { type: 'SWITCH', className: 'Switch', keys: ['condition'], required: ['condition'], logic: true },
  { type: 'DEPENDENT', className: 'Dependent', keys: ['op', 'groups', 'dependence'], required: ['groups'], logic: true },
  { type: 'NOOP', className: 'NoOp', keys: [], required: [] },
  {
    type: 'HTTP',
    className: 'Http',
    keys: ['url', 'http_method', 'http_params', 'http_check_condition', 'condition', 'connect_timeout', 'socket_timeout'],
    required: ['url'],
  },
  {
    type: 'SQL',
    className: 'Sql',
    keys: ['datasource_name', 'sql', 'datasource_type', 'sql_type', 'pre_statements', 'post_statements', 'display_rows'],
    required: ['datasource_name', 'sql'],
  },
  { type: 'PROCEDURE', className: 'Procedure', keys: ['datasource_name', 'method', 'datasource_type'], required: ['datasource_name', 'method'] },
  {
    type: 'SPARK',
    className: 'Spark',
    keys: [...ENGINE, 'driver_cores', 'driver_memory', 'num_executors', 'executor_memory', 'executor_cores'],
    required: ['main_package'],
  },
  {
    type: 'FLINK',
    className: 'Flink',
    keys: [...ENGINE, 'flink_version', 'job_manager_memory', 'task_manager_memory', 'slot', 'task_manager', 'parallelism'],
    required: ['main_package'],
  },
  { type: 'MR', className: 'MR', keys: ENGINE, required: ['main_package'] },
  {
    type: 'DATAX',
    className: 'DataX',
    keys: [
      'datasource_name', 'datatarget_name', 'sql', 'target_table', 'datasource_type', 'datatarget_type', 'job_speed_byte',
      'job_speed_record', 'pre_statements', 'post_statements', 'xms', 'xmx',
    ],
    required: ['datasource_name', 'datatarget_name', 'sql', 'target_table'],
  },
  { type: 'DATAX', className: 'CustomDataX', keys: ['json', 'xms', 'xmx'], required: ['json'] },
  { type: 'K8S', className: 'K8S', keys: ['image', 'namespace', 'min_cpu_cores', 'min_memory_space'], required: ['image'] },
  { type: 'K8S', className: 'Kubernetes', keys: ['image', 'namespace', 'min_cpu_cores', 'min_memory_space'], required: ['image'] },
  { type: 'MLFLOW', className: 'MLflowModels', keys: ['mlflow_tracking_uri', 'model_uri', 'deploy_mode', 'port'], required: ['model_uri'] },
  { type: 'MLFLOW', className: 'MLFlowProjectsCustom', keys: [...MLFLOW, 'repository', 'version'], required: ['repository'] },
  { type: 'MLFLOW', className: 'MLFlowProjectsAutoML', keys: [...MLFLOW, 'data_path', 'automl_tool'], required: ['data_path'] },
  { type: 'MLFLOW', className: 'MLFlowProjectsBasicAlgorithm', keys: [...MLFLOW, 'data_path', 'algorithm', 'search_params'], required: ['data_path'] },
  { type: 'DVC', className: 'DVCInit', keys: ['repository', 'store_url'], required: ['repository', 'store_url'] },
  {
    type: 'DVC',
    className: 'DVCUpload',
    keys: ['repository', 'data_path_in_worker', 'data_path_in_dvc_repository', 'version', 'message'],
    required: ['repository', 'data_path_in_worker', 'data_path_in_dvc_repository', 'version'],
  },
  {
    type: 'DVC',
    className: 'DVCDownload',
    keys: ['repository', 'data_path_in_worker', 'data_path_in_dvc_repository', 'version'],
    required: ['repository', 'data_path_in_worker', 'data_path_in_dvc_repository', 'version'],
  },
  { type: 'OPENMLDB', className: 'OpenMLDB', keys: ['zookeeper', 'zookeeper_path', 'execute_mode', 'sql'], required: ['zookeeper', 'zookeeper_path', 'sql'] },
  {
    type: 'PYTORCH',
    className: 'Pytorch',
    keys: ['script', 'script_params', 'project_path', 'is_create_environment', 'python_command', 'python_env_tool', 'requirements', 'conda_python_version'],
    required: ['script'],
  },
];

const BY_NAME = new Map<string, TaskTypeInfo>();
for (const t of TABLE) BY_NAME.set(t.className.toLowerCase(), t);
// Aliases beyond the class names: DS taskType strings and common spellings.
const ALIASES: Record<string, string> = {
  conditions: 'condition',
  sub_process: 'subprocess',
  sub_workflow: 'subworkflow',
  noop: 'noop',
  no_op: 'noop',
};
for (const [alias, target] of Object.entries(ALIASES)) BY_NAME.set(alias, BY_NAME.get(target) as TaskTypeInfo);

/** The type for a `task_type` as written (case-insensitive), or undefined. */
export function lookupTaskType(written: string): TaskTypeInfo | undefined {
  return BY_NAME.get(written.trim().toLowerCase());
}

/** The class names, for did-you-mean and messages. */
export const TASK_TYPE_NAMES: readonly string[] = TABLE.map((t) => t.className);

/** Keys common to every non-logic task (spec §1.3), besides `name`, `task_type` and `deps`. */
export const COMMON_TASK_KEYS = [
  'description', 'flag', 'task_priority', 'worker_group', 'environment_name', 'task_group_id', 'task_group_priority',
  'delay_time', 'fail_retry_times', 'fail_retry_interval', 'timeout', 'timeout_flag', 'timeout_notify_strategy', 'is_cache',
  'input_params', 'output_params', 'local_params', 'resource_list', 'cpu_quota', 'memory_max', 'wait_start_timeout',
  'condition_result', 'dependence',
] as const;

export const WORKFLOW_KEYS = [
  'name', 'description', 'schedule', 'online_schedule', 'start_time', 'end_time', 'timezone', 'user', 'project', 'worker_group',
  'warning_type', 'warning_group_id', 'execution_type', 'timeout', 'release_state', 'param', 'resource_list', 'run', 'tenant', 'queue',
] as const;
