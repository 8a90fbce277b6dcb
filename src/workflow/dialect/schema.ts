/**
 * zod schemas for the `workflow:` mapping and the task mappings (spec §1.2-§1.5). They check value
 * types and enums only; references between tasks, cycles and schedules are checked in validate.ts.
 * Unknown keys pass through here (they are warned about separately, with a did-you-mean).
 */
import { z } from 'zod';
import { DATA_TYPES } from '../model.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** A scalar taken as text (`description: 2024` is fine). */
export const text = scalar.transform((v) => String(v));
/** A param value: any scalar or empty, as a string (`null` -> ""). */
const paramValue = z.union([scalar, z.null()]).transform((v) => (v === null ? '' : String(v)));
const minutes = z.number().nonnegative();
const count = z.number().int().nonnegative();

function ciEnum<const T extends readonly [string, ...string[]]>(values: T, lower = false) {
  return z.preprocess((v) => (typeof v === 'string' ? (lower ? v.toLowerCase() : v.toUpperCase()) : v), z.enum(values));
}

export const dataType = ciEnum(DATA_TYPES as unknown as readonly [string, ...string[]]);

export const localParam = z.object({
  prop: text,
  direct: ciEnum(['IN', 'OUT']),
  type: dataType,
  value: paramValue.optional(),
});

export const workflowSchema = z.object({
  name: text,
  description: text.optional(),
  schedule: z.string().optional(),
  online_schedule: z.boolean().optional(),
  start_time: text.optional(),
  end_time: text.optional(),
  timezone: z.string().optional(),
  user: text.optional(),
  project: text.optional(),
  worker_group: text.optional(),
  warning_type: ciEnum(['NONE', 'SUCCESS', 'FAILURE', 'ALL']).optional(),
  warning_group_id: count.optional(),
  execution_type: ciEnum(['PARALLEL', 'SERIAL_WAIT', 'SERIAL_DISCARD', 'SERIAL_PRIORITY']).optional(),
  timeout: minutes.optional(),
  release_state: ciEnum(['online', 'offline'], true).optional(),
  param: z.record(z.string(), paramValue).nullable().optional(),
  resource_list: z.array(z.unknown()).optional(),
  run: z.boolean().optional(),
  tenant: text.optional(),
});
export type WorkflowInput = z.output<typeof workflowSchema>;

export const commonTaskSchema = z.object({
  name: text,
  task_type: z.string(),
  deps: z.array(text).nullable().optional(),
  description: text.nullable().optional(),
  flag: ciEnum(['YES', 'NO']).optional(),
  task_priority: ciEnum(['HIGHEST', 'HIGH', 'MEDIUM', 'LOW', 'LOWEST']).optional(),
  worker_group: text.optional(),
  environment_name: text.nullable().optional(),
  task_group_id: count.optional(),
  task_group_priority: count.optional(),
  delay_time: minutes.optional(),
  fail_retry_times: count.optional(),
  fail_retry_interval: minutes.optional(),
  timeout: minutes.nullable().optional(),
  timeout_flag: ciEnum(['OPEN', 'CLOSE']).optional(),
  timeout_notify_strategy: ciEnum(['WARN', 'FAILED', 'WARNFAILED']).nullable().optional(),
  is_cache: z.boolean().optional(),
  input_params: z.record(z.string(), paramValue).nullable().optional(),
  output_params: z.record(z.string(), paramValue).nullable().optional(),
  local_params: z.array(localParam).nullable().optional(),
  resource_list: z.array(text).nullable().optional(),
  cpu_quota: z.number().optional(),
  memory_max: z.number().optional(),
});
export type CommonTaskInput = z.output<typeof commonTaskSchema>;

const switchBranch = z.object({ task: text, condition: text.optional() });
const conditionItem = z.object({ task: text, flag: z.boolean() });
const op = ciEnum(['AND', 'OR']);
const dependItem = z.object({
  project_name: text.optional(),
  workflow_name: text.optional(),
  process_definition_name: text.optional(),
  dependent_task_name: text,
  dependent_date: text.optional(),
});

/** Schemas of type-specific keys; keys not listed here accept any value. */
export const typeKeySchemas: Record<string, z.ZodType> = {
  command: z.string(),
  definition: z.string(),
  process_definition_name: text,
  workflow_name: text,
  sagemaker_request_json: z.string(),
  success_task: text,
  failed_task: text,
  op,
  groups: z.array(z.object({ op: op.optional(), groups: z.array(z.record(z.string(), z.unknown())) })),
  url: z.string(),
  http_method: ciEnum(['GET', 'POST', 'HEAD', 'PUT', 'DELETE']),
  http_params: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]),
  http_check_condition: ciEnum(['STATUS_CODE_DEFAULT', 'STATUS_CODE_CUSTOM', 'BODY_CONTAINS', 'BODY_NOT_CONTAINS']),
  connect_timeout: count,
  socket_timeout: count,
  sql: z.string(),
  datasource_name: text,
  display_rows: count,
  pre_statements: z.union([z.string(), z.array(z.string())]),
  post_statements: z.union([z.string(), z.array(z.string())]),
  image: z.string(),
};

/** Switch's `condition` list (the Http `condition` key is a plain string). */
export const switchCondition = z.array(switchBranch);
export const conditionGroups = z.array(z.object({ op: op.optional(), groups: z.array(conditionItem) }));
export const dependentGroups = z.array(z.object({ op: op.optional(), groups: z.array(dependItem) }));

/** A one-line description of a zod issue against the input value. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const got = valueAt(input, issue.path as (string | number)[]);
  if (got === undefined && issue.path.length > 0) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined) return 'is required';
      return `expected ${article(issue.expected)}, got ${describeValue(got)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}, got ${describeValue(got)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}, got ${describeValue(got)}`;
    case 'invalid_union':
      return `has the wrong type (got ${describeValue(got)})`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  if (expected === 'array') return 'a list';
  if (expected === 'object' || expected === 'record') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function describeValue(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'number' && !Number.isInteger(v)) return `the number ${v}`;
  return String(v);
}

export function valueAt(input: unknown, path: (string | number)[]): unknown {
  let cur = input;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}
