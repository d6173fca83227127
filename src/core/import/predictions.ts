// What every reader of a predictions file returns: row-major N x C float32 logits and, when the file
// has them, N class indices. The run folder stores exactly these (docs/run-format.md).

export interface Predictions {
  /** Row-major rows x cols. */
  readonly logits: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** One class index per row, or null when the labels were not asked for. */
  readonly labels: Int32Array | null;
}

export interface ReadOptions {
  /** required: a labelled evaluation split; ignored: deployment logits (labels in the file are not read). */
  readonly labels: 'required' | 'ignored';
  /** The run's classes: CSV headers and name labels are matched against them. */
  readonly classes: readonly string[];
}
