// The listeners of a training handle and the dispatch of checked worker messages to them, shared by the
// TF.js worker and the PyTorch child process so both hand the CLI and the Training view the same events.
import { checkMessage } from '../message';
import type { EpochRecord, TrainedRunRecord } from '../runs/record';
import { WorkerToHostSchema, type LogLevel, type TrainProgress, type WorkerToHost } from './workerMessages';

/** What an engine gives its host: the run's result, its events, cancel and kill. */
export interface TrainingHandle {
  /** Resolves with the run record (status 'cancelled' after cancel()); rejects on a training error or crash. */
  readonly result: Promise<TrainedRunRecord>;
  onProgress(listener: (p: TrainProgress) => void): void;
  onLog(listener: (level: LogLevel, message: string) => void): void;
  /** Each finished epoch, as it is checkpointed. */
  onEpoch(listener: (record: EpochRecord) => void): void;
  /** Stops at the next step boundary, keeping a resumable checkpoint. */
  cancel(): void;
  /** Kills the worker at once; the last completed checkpoint stays intact. */
  terminate(): Promise<void>;
}

/** The messages that end a run, left to the engine's host to settle. */
export type FinalMessage = Extract<WorkerToHost, { type: 'result' | 'error' }>;

export class TrainingEvents {
  private readonly progress: ((p: TrainProgress) => void)[] = [];
  private readonly logs: ((level: LogLevel, message: string) => void)[] = [];
  private readonly epochs: ((record: EpochRecord) => void)[] = [];

  log(level: LogLevel, message: string): void {
    for (const l of this.logs) l(level, message);
  }

  /**
   * Checks a message from the engine and hands progress, logs and epochs to their listeners; returns a
   * result or error for the caller. A malformed message is skipped with a warning: the run goes on.
   */
  dispatch(raw: unknown, channel: string): FinalMessage | undefined {
    let msg: WorkerToHost;
    try {
      msg = checkMessage(WorkerToHostSchema, raw, channel);
    } catch (e) {
      this.log('warn', `Ignored a message: ${(e as Error).message}`);
      return undefined;
    }
    switch (msg.type) {
      case 'progress':
        for (const l of this.progress) l(msg.progress);
        return undefined;
      case 'log':
        this.log(msg.level, msg.message);
        return undefined;
      case 'epoch':
        for (const l of this.epochs) l(msg.record);
        return undefined;
      default:
        return msg;
    }
  }

  /** The subscription half of a TrainingHandle. */
  subscriptions(): Pick<TrainingHandle, 'onProgress' | 'onLog' | 'onEpoch'> {
    return {
      onProgress: (l) => this.progress.push(l),
      onLog: (l) => this.logs.push(l),
      onEpoch: (l) => this.epochs.push(l),
    };
  }
}
