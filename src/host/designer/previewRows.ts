// Splits the head of a csv or jsonl file into a small table for display (not for training:
// the trainer has the real parsers). Pure, so it is unit-tested.
const ROWS = 8;

export type PreviewTable = { ok: true; columns: string[]; rows: string[][]; truncated: boolean } | { ok: false; message: string };

export function previewRows(text: string, format: 'csv' | 'jsonl'): PreviewTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return { ok: false, message: 'The file is empty.' };
  if (format === 'csv') {
    const [header, ...body] = lines.slice(0, ROWS + 1).map(splitCsvLine);
    return { ok: true, columns: header!, rows: body, truncated: lines.length > ROWS + 1 };
  }
  const records: Record<string, unknown>[] = [];
  for (const line of lines.slice(0, ROWS)) {
    try {
      const v = JSON.parse(line) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) records.push(v as Record<string, unknown>);
    } catch {
      break; // the 64 KiB cut may end inside a line
    }
  }
  if (records.length === 0) return { ok: false, message: 'The first line is not a JSON object.' };
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  return { ok: true, columns, rows: records.map((r) => columns.map((c) => cell(r[c]))), truncated: lines.length > ROWS };
}

/** One csv line: commas, double-quoted fields with "" escapes. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; }
    else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}
