// Public API of dataset scanning: what the CLI, the extension's scan worker and the trainer use.
export { analyzeDataset, type AnalyzeOptions } from './analyze';
export { datasetView, listSamples, type DatasetView, type ListSamplesOptions } from './listSamples';
export { DatasetError } from './errors';
export { IMAGE_EXTENSIONS } from './imageFiles';
export { effectiveNumber, gini, imbalanceRatio, normalizedEntropy, shotOf } from './stats';
export type { CsvColumns } from './manifest';
export * from './types';
