/** Builds the configured feature sets. */
import type { AnalysisConfig, FeatureName } from '../config.js';
import { bbandsFeatureSet } from './bbands.js';
import { indicatorFeatureSet } from './indicator.js';
import { kbarFeatureSet } from './kbar.js';
import { maFeatureSet } from './ma.js';
import { talibPatternFeatureSet } from './talib-pattern.js';
import type { FeatureSet } from './types.js';

export async function buildFeatureSet(name: FeatureName, cfg: AnalysisConfig): Promise<FeatureSet> {
  switch (name) {
    case 'ma':
      return maFeatureSet();
    case 'bbands':
      return bbandsFeatureSet();
    case 'kbar':
      return kbarFeatureSet();
    case 'talib_pattern':
      return talibPatternFeatureSet();
    case 'indicator':
      return indicatorFeatureSet(cfg.indicators);
  }
}

export async function buildFeatureSets(cfg: AnalysisConfig, only?: string): Promise<FeatureSet[]> {
  const names = cfg.features.filter((n) => only === undefined || n === only);
  return Promise.all(names.map((n) => buildFeatureSet(n, cfg)));
}
