// The target prior as the editor, the session and the metrics panel pass it around: parsed once (here,
// where it is made or where it arrives) into normalised shares, and branded so later code can trust it.
// Browser-safe: the webviews build and check it too.
import * as v from 'valibot';
import { PriorError } from './parse';

/** Most classes a prior may have (iNaturalist 2018 has 8,142). */
export const MAX_CLASSES = 20_000;

const share = v.pipe(v.number(), v.finite(), v.minValue(0));
const interval = v.nullable(v.pipe(v.tuple([v.pipe(v.number(), v.finite()), v.pipe(v.number(), v.finite())]), v.readonly()));

interface Normalised {
  readonly label: string;
  readonly shares: readonly number[];
  readonly intervals?: readonly (readonly [number, number] | null)[];
}

/** A label and non-negative shares with a positive sum, normalised here; per-class intervals where known. */
export const TargetPriorSchema = v.pipe(
  v.object({
    /** "uniform", "backward-10", a saved prior's name, "edited"… */
    label: v.pipe(v.string(), v.maxLength(200)),
    shares: v.pipe(v.array(share), v.minLength(1), v.maxLength(MAX_CLASSES)),
    /** Per-class [lower, upper] (e.g. 95% bootstrap interval of an estimate); null where unknown. */
    intervals: v.optional(v.array(interval)),
  }),
  v.check((p) => {
    const sum = p.shares.reduce((a, b) => a + b, 0);
    return sum > 0 && Number.isFinite(sum);
  }, "the prior's shares must have a positive, finite sum"),
  v.check((p) => !p.intervals || p.intervals.length === p.shares.length, 'there must be one interval (or null) per share'),
  v.transform((p): Normalised => {
    const sum = p.shares.reduce((a, b) => a + b, 0);
    const shares = p.shares.map((s) => s / sum);
    return p.intervals ? { label: p.label, shares, intervals: p.intervals } : { label: p.label, shares };
  }),
  v.brand('TargetPrior'),
);

export type TargetPrior = v.InferOutput<typeof TargetPriorSchema>;

/** The label of a target the user edited by hand; saving it replaces the label with the file's name. */
export const EDITED_LABEL = 'edited';

/** Builds a target prior from shares or counts; a PriorError says what is wrong. */
export function targetPrior(label: string, shares: ArrayLike<number>, intervals?: readonly (readonly [number, number] | null)[]): TargetPrior {
  const result = v.safeParse(TargetPriorSchema, { label, shares: Array.from(shares), ...(intervals ? { intervals } : {}) });
  if (result.success) return result.output;
  throw new PriorError(`prior '${label.slice(0, 80)}': ${result.issues[0]?.message ?? 'invalid'}`);
}

/** The same shares under another name (a saved prior takes its file's name). */
export function withLabel(prior: TargetPrior, label: string): TargetPrior {
  // The shares were checked and normalised when `prior` was made; only the label changes.
  return { ...prior, label: label.slice(0, 200) } as TargetPrior;
}

export function uniformTarget(numClasses: number): TargetPrior {
  return targetPrior('uniform', new Array<number>(numClasses).fill(1));
}
