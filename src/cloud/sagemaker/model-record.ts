/**
 * The registry entry of a SageMaker-trained model: trained by the pipeline's built-in XGBoost with
 * its hyper-parameters on the original's label, whether or not quantflow holds the model itself.
 */
import type { ModelRecord } from '../../ml/registry.js';
import { XGBOOST_HYPERPARAMETERS } from './pipeline-definition.js';

export function sageMakerModelRecord(id: string, opts: { createdAt?: string; modelJson?: string; origin: Record<string, unknown> }): ModelRecord {
  return {
    id,
    createdAt: opts.createdAt ?? new Date().toISOString(),
    source: 'sagemaker',
    labelKind: 'next_close',
    universe: 'signal',
    features: [],
    params: { ...XGBOOST_HYPERPARAMETERS },
    dataRange: {},
    metrics: {},
    modelJson: opts.modelJson,
    origin: opts.origin,
  };
}
