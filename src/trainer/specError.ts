// A failure traced to the place in the experiment that caused it: `path` is the JSON path of
// the spec field to fix (model.layers[3], data.split.test...), so the CLI prints file:line:column,
// the run records where, and the editor can point there. Its message is written for the user
// and shown as is, never with a stack trace.
export class SpecError extends Error {
  override readonly name: string = 'SpecError';

  constructor(message: string, readonly path?: (string | number)[]) {
    super(message);
  }
}
