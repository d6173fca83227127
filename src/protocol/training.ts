// The typed contract between a training worker and its host (extension, CLI), and the run record that a
// finished run leaves in .lade/runs/<name>/run.json. Both are defined in core (src/core/runs for the run,
// src/core/train/workerMessages.ts for the worker channel), which never imports protocol; this module is
// their name on the protocol side.
export type { LossKind } from '../core/runs/lossKind';
export {
  DEFAULT_TRAIN_CONFIG,
  type BackendSetting,
  type ModelKind,
  type OptimizerKind,
  type ScheduleKind,
  type TrainConfig,
} from '../core/runs/config';
export { EpochRecordSchema, type EpochRecord, type RunRecord, type RunStatus, type TrainedRunRecord } from '../core/runs/record';
export {
  HostToWorkerSchema,
  looseNumber,
  TrainProgressSchema,
  WorkerToHostSchema,
  type HostToWorker,
  type LogLevel,
  type Phase,
  type TrainProgress,
  type WorkerToHost,
} from '../core/train/workerMessages';
