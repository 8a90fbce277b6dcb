/** The GBDT: train, predict, importance, XGBoost JSON. */
export { trainGbdt, type TrainResult, type TrainOptions, type Validation } from './train.js';
export { predict, predictMargin, featureImportance, type GbdtModel, type GbdtTree, type FeatureImportance } from './model.js';
export { loadXgboostJson, saveXgboostJson, xgboostJsonText, modelFromXgboostJson } from './xgboost-json.js';
export { DEFAULT_PARAMS, resolveParams, parseParamPairs, type GbdtParams } from './params.js';
export { type DenseMatrix, type MatrixInput, denseFromRows } from './matrix.js';
