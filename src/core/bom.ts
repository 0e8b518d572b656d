// A UTF-8 byte-order mark (U+FEFF), which Windows editors put at the start of a file, is not
// JSON but not content either: every parse of an experiment file drops it first (the CLI, the
// host's training and diagram commands, the designer), so such a file is accepted everywhere.
export const BOM = '\uFEFF';

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
