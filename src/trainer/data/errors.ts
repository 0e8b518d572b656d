// A problem with the user's data (missing file, unknown column, unreadable file): its message
// is written for the user and shown as is, never as a stack trace. `path`, when known, is the
// JSON path of the spec field to fix, so it can become a Problem at the right place.
import { SpecError } from '../specError';

export class DataError extends SpecError {
  override readonly name = 'DataError';
}
