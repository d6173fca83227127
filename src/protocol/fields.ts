// Field schemas more than one channel uses.
import * as v from 'valibot';
import { BACKENDS } from '../core/runs/config';
import { SPLIT_NAME } from './validate';

/** A bounded string (the bound keeps a runaway message from allocating without limit). */
export const text = (max = 4096) => v.pipe(v.string(), v.maxLength(max));

/** A prior's or a run's name, as a message may carry it. */
export const Name = text(64);

export const SplitName = v.pipe(v.string(), v.regex(SPLIT_NAME, 'must be a split name (letters, digits, _ and -)'));

export const count = v.pipe(v.number(), v.integer(), v.minValue(0));
export const finite = v.pipe(v.number(), v.finite());

export const BackendSettingSchema = v.picklist(BACKENDS);

/** A list, read-only once checked (senders hold read-only lists), of at most `max` items. */
export const list = <T extends v.GenericSchema>(item: T, max = Number.MAX_SAFE_INTEGER, min = 0) =>
  v.pipe(v.array(item), v.minLength(min), v.maxLength(max), v.readonly());
