// The training engine's public API, for the CLI, the extension and the demo.
export { trainRun, type TrainHooks } from './trainRun';
export { startTrainingWorker, type TrainingHandle, type WorkerOptions } from './trainingWorker';
export { resolveConfig, type TrainConfigInput } from './config';
export { loadModel, saveModel } from './modelFiles';
export { readCheckpoint } from './checkpoint';
