// One labelled image of a manifest, whatever its format (split list, CSV, COCO-style JSON).

export interface ManifestRecord {
  /** Image path as written in the manifest ('/' or '\\' separated, relative to the dataset root or absolute). */
  readonly path: string;
  readonly label: string;
  readonly split: string | null;
  readonly file: string;
  /** 1-based line; for a JSON manifest, the position of the annotation. */
  readonly line: number;
}
