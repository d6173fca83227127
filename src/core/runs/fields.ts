// Small valibot building blocks whose messages say what the field must be; the reader prefixes the file
// and the field's path.
import * as v from 'valibot';

export const text = (rule = 'must be text') => v.string(rule);

export const wholeNumber = (min: number, rule = `must be a whole number >= ${min}`) =>
  v.pipe(v.number(rule), v.integer(rule), v.minValue(min, rule));

export const finite = (rule = 'must be a finite number') => v.pipe(v.number(rule), v.finite(rule));

export const oneOf = <const T extends readonly [string | number, ...(string | number)[]]>(options: T) =>
  v.picklist(options, `must be one of ${options.join(', ')}`);

/** A split name as it appears in logits-<split>.bin: no path separators or dots. */
export const SPLIT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
