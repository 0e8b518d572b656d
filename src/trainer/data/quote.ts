// How a message quotes text taken from a data file (column names, cell values): short and on
// one line. A message is shown, logged and copied into issues; it is no place for a file's
// content, and a header or a cell can be long or hold a secret.
const MAX_QUOTE = 40;
const MAX_NAMES = 20;

/** The text cut to a few dozen characters, control characters escaped. */
export function quoteData(text: string, max = MAX_QUOTE): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** A list of column names for a message: the first twenty, each quoted short, and how many more. */
export function columnList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES).map((n) => quoteData(n)).join(', ');
  return names.length > MAX_NAMES ? `${shown} and ${names.length - MAX_NAMES} more` : shown;
}
