// Public API of importing predictions made elsewhere into a run folder.
export { ImportError } from './errors';
export type { Predictions, ReadOptions } from './predictions';
export { isPredictionsFile, PREDICTION_EXTENSIONS, readPredictions } from './readPredictions';
export { readClassList, readTrainCounts } from './classes';
export { importRun, stagingDir, type ImportOptions, type SplitSource } from './importRun';
