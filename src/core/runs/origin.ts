// Where a run's logits came from: an engine that trained the model here, or files imported from elsewhere.
import * as v from 'valibot';
import { oneOf, text, wholeNumber } from './fields';

export const ENGINES = ['tfjs', 'torch'] as const;
export type Engine = (typeof ENGINES)[number];
export const IMPORT_SOURCES = ['logits', 'onnx'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

export const RunOriginSchema = v.variant(
  'kind',
  [
    v.object({
      kind: v.literal('trained'),
      engine: oneOf(ENGINES),
      /** Processes that trained it (the DDP world size). */
      processes: wholeNumber(1),
    }),
    v.object({
      kind: v.literal('imported'),
      source: oneOf(IMPORT_SOURCES),
      /** What was imported, as given. */
      files: v.pipe(v.array(text('must be a list of file names'), 'must be a list of file names'), v.readonly()),
    }),
  ],
  'must have kind trained or imported',
);

export type RunOrigin = v.InferOutput<typeof RunOriginSchema>;

/** Runs written before origins existed (run.json version 1) were all trained here, by one TF.js process. */
export const VERSION_1_ORIGIN: RunOrigin = { kind: 'trained', engine: 'tfjs', processes: 1 };
