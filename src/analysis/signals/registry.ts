/** Builds the configured signals. */
import type { AnalysisConfig, SignalEntry } from '../config.js';
import { maCrossSignal } from './ma-cross.js';
import { maUpSignal } from './ma-up.js';
import type { SignalDef } from './types.js';

export function buildSignal(e: SignalEntry): SignalDef {
  return e.name === 'ma_cross' ? maCrossSignal(e.fast, e.slow) : maUpSignal(e.fast, e.slow, e.maxChange);
}

export function buildSignals(cfg: AnalysisConfig, only?: string): SignalDef[] {
  return cfg.signals.filter((s) => only === undefined || s.name === only).map(buildSignal);
}
