// The one error of an export: a problem with what was asked to export, said where it is (the CLI
// prints it as one line, exit code 1, no stack trace). Its own file: every format throws it.

export class ExportError extends Error {}
