// The result of analysing a labelled dataset: what the CLI prints with --json and what the panel shows.

export type Layout = 'folder-per-class' | 'split-list' | 'csv-manifest' | 'coco-json';
export type Shot = 'many' | 'medium' | 'few' | 'empty';

export interface ClassStat {
  readonly name: string;
  /** Images of this class in the primary split (train where splits exist). */
  readonly count: number;
  /** count / total of the primary split: the source prior p_s. */
  readonly share: number;
  /** Cui et al. effective number (1 - beta^n) / (1 - beta). */
  readonly effectiveNumber: number;
  readonly shot: Shot;
}

export interface SplitStat {
  readonly name: string;
  readonly total: number;
  /** Per-class counts, aligned with AnalyzeResult.classes. */
  readonly counts: readonly number[];
}

export type WarningKind =
  | 'empty-class'
  | 'single-image-class'
  | 'missing-in-split'
  | 'unreadable'
  | 'symlink-loop'
  | 'unsupported-format'
  | 'corrupt-image'
  | 'extension-mismatch'
  | 'duplicate'
  | 'missing-file'
  | 'unlabelled-files'
  | 'skipped-line';

export interface ScanWarning {
  readonly kind: WarningKind;
  /** One readable sentence naming the class, file or line concerned. */
  readonly message: string;
  readonly classes?: readonly string[];
  readonly path?: string;
}

export interface StatsOptions {
  /** Classes with count > many are many-shot (default 100). */
  readonly manyThreshold: number;
  /** Classes with count < few are few-shot (default 20). */
  readonly fewThreshold: number;
  /** Effective-number beta (default 0.999). */
  readonly beta: number;
}

export const DEFAULT_STATS_OPTIONS: StatsOptions = { manyThreshold: 100, fewThreshold: 20, beta: 0.999 };

export interface AnalyzeResult {
  readonly root: string;
  readonly layout: Layout;
  /** Name of the split the statistics describe (train where splits exist), or null without splits. */
  readonly primarySplit: string | null;
  readonly classes: readonly ClassStat[];
  readonly total: number;
  /** max/min over non-empty classes. */
  readonly imbalanceRatio: number;
  readonly gini: number;
  /** Shannon entropy of the source prior divided by log C (1 = balanced). */
  readonly entropy: number;
  /** Sum of the per-class effective numbers. */
  readonly effectiveNumber: number;
  readonly options: StatsOptions;
  readonly shots: { readonly many: readonly string[]; readonly medium: readonly string[]; readonly few: readonly string[] };
  readonly splits: readonly SplitStat[];
  readonly warnings: readonly ScanWarning[];
  /** Present only when the deep check (--validate) ran. */
  readonly validation?: ValidationSummary;
  readonly durationMs: number;
}

export interface ValidationSummary {
  /** 'sharp' when sharp parsed every header; 'signature' when sharp is not installed (magic bytes and trailers only). */
  readonly decoder: 'sharp' | 'signature';
  readonly checked: number;
  readonly corrupt: number;
  readonly extensionMismatches: number;
  /** Files whose exact content already appeared under another path. */
  readonly duplicates: number;
  readonly missing: number;
}

/** Reported while a scan runs: files found so far (scan) or files read so far out of `total` (validate). */
export interface ScanProgress {
  readonly phase: 'scan' | 'validate';
  readonly filesSeen: number;
  readonly total?: number;
}

/** One labelled image, as the trainer reads it. */
export interface Sample {
  /** Absolute path of the image file. */
  readonly path: string;
  /** Index into AnalyzeResult.classes. */
  readonly classIndex: number;
  readonly className: string;
  /** The split the file belongs to, or null when the dataset has no splits. */
  readonly split: string | null;
}
