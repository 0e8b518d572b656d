// Public surface of the data layer (no tfjs here: plain typed arrays).
export type { Dataset, SplitDataset } from './dataset';
export { featureSize, resolveFeatureColumns, selectFeatures, shapeSize, takeRows, withFeatureShape } from './dataset';
export { DataError } from './errors';
export { loadDataset, loadExperimentData, loadStratified, prereadData, splitLoaded, trainingData, type ExperimentData, type LoadedData, type LoadOptions, type SplitPlan } from './load';
export { crossValidationPlans, foldParts } from './folds';
export { datasetColumns, type DataColumns } from './columns';
export { applyPreprocessing, fitPreprocessing, type FittedPreprocessing } from './preprocess';
export { applyImputation, fitImputation, type Imputation } from './impute';
export { splitIndices, type SplitIndices } from './split';
export { loadMnist } from './mnist';
export { loadMultiMnist } from './multimnist';
export { loadSyntheticCorrelated } from './syntheticCorrelated';
export { loadSyntheticSequence } from './syntheticSequence';
export { parseCsv } from './csv';
export { parseJsonl } from './jsonl';
