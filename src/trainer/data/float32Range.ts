// Numbers float32 cannot hold (|x| > 3.4e38, or infinite): training computes in float32, where
// they are infinite, so the first step's loss is too and the run would end blaming the learning
// rate. Every source refuses them in what a run uses with this one message: a table's column by
// its lines (table.ts), a NumPy array by its index along the first axis (numpy.ts). NaN is not
// among them: it is a missing value wherever a source has one.
import { DataError } from './errors';

/** How many places are named in a message; the rest are counted. */
export const NAMED_PLACES = 3;

/** A number (not NaN) that float32 rounds to an infinity. */
export const beyondFloat32 = (v: number): boolean => !Number.isNaN(v) && !Number.isFinite(Math.fround(v));

/**
 * The error for `count` such numbers in `subject` ("Column 'x' of d.csv"), the first of them at
 * `places` ("line 4", "index 3 of the first axis"), with what to do (`remedy`).
 */
export function beyondFloat32Error(subject: string, places: string, count: number, unit: string, remedy: string, path?: (string | number)[]): DataError {
  return new DataError(`${subject} holds numbers beyond float32's range (±3.4e38) ${places}${count > NAMED_PLACES ? ` (${count.toLocaleString('en-US')} such ${unit})` : ''}: ` +
    `training computes in float32, where they are infinite. ${remedy}`, path);
}
