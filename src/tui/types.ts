/** Plain data the TUI state holds (no domain classes, so the reducer stays pure and testable). */
import type { Screen } from './keys.js';

export interface WorkflowEntry {
  file: string;
  display: string;
  name?: string;
  tasks: number;
  errors: string[];
  warnings: string[];
  lastRun?: { id: number; state: string; startTime: number; endTime: number | null };
}

export interface DagTask {
  id: string;
  name: string;
  deps: string[];
  type: string;
  indent: number;
  /** For SubProcess children: the SubProcess task's id. */
  parent?: string;
  maxAttempts: number;
}

export interface TaskLive {
  state: string;
  attempt: number;
  taskInstanceId?: number;
  start?: number;
  end?: number;
  progress?: { done: number; total: number; label: string };
  message?: string;
  childRunId?: number;
  steps?: { name: string; status: string; detail?: string }[];
}

export interface RunItem {
  id: number;
  name: string;
  file: string;
  state: string;
  startTime: number;
  endTime: number | null;
  commandType: string;
  parentRunId: number | null;
}

export interface SymbolItem {
  code: string;
  name: string;
  last: number;
  bars: number;
  close: number;
  change: number;
}

export interface PatternItem {
  name: string;
  english: string;
  direction: string;
  recent: number;
}

export interface PickItem {
  date: number;
  rank: number;
  code: string;
  name: string;
  score: number;
  /** Close-to-close return of the next trading day, when the store has it. */
  next?: number;
}

export interface ModelItem {
  id: string;
  createdAt: string;
  source: string;
  /** What it predicts, on which stocks, over which days (YYYY-MM-DD). */
  labelKind?: string;
  universe?: string;
  dataRange?: { trainFrom?: string; trainTo?: string; testFrom?: string; testTo?: string };
  metrics: Record<string, number | null>;
  importance: [string, number][];
}

export interface BacktestView {
  equity: number[];
  base: number[];
  summary: string;
}

export interface Occurrence {
  code: string;
  date: number;
  value: number;
}

export type Intent =
  | { type: 'run'; deps?: 'post' | 'pre' | 'only'; task?: string }
  | { type: 'recover'; runId: number }
  | { type: 'stop'; runId: number }
  | { type: 'quit' };

export type Overlay =
  | { kind: 'help' }
  | { kind: 'confirm'; title: string; lines: string[]; intent: Intent }
  | { kind: 'input'; purpose: 'command' | 'search' | 'param'; label: string; text: string; param?: string }
  | { kind: 'params'; sel: number };

export interface ListState {
  sel: number;
  top: number;
}

export type { Screen };
