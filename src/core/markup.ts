// Pure (no node, no DOM): used by the run report (trainer), the study report and the study view.
// Escaping of user strings (experiment names, task and layer ids, paths) for the report's
// SVG (XML) and Markdown, and the number formats the report uses.

// Characters XML 1.0 forbids even when escaped.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(s: string): string {
  return s.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * Inline Markdown text (also safe in a table cell): HTML-special characters as entities, the
 * characters that start emphasis, code, links or cells backslash-escaped, one line, and a
 * leading character that would start a heading, list or quote escaped.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(XML_INVALID, '').replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/^(\s*)([-+=#])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** A relative link target whose every segment is percent-encoded. */
export function markdownLink(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

/** Metric values: 4 significant digits, plain notation for usual magnitudes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(3);
  if (a >= 1000) return v.toFixed(1);
  return String(Number(v.toPrecision(4)));
}

export function formatInteger(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A count with its noun: "1 measurement", "12 measurements" (`many` for an irregular plural). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInteger(n)} ${n === 1 ? one : many}`;
}

/**
 * A multiplying factor as a reader wrote it: "1/255" for the reciprocal of a whole number
 * (0.00392156862745098 is how JSON keeps 1/255), else 3 significant digits.
 */
export function formatFactor(f: number): string {
  if (!Number.isFinite(f) || f === 0) return formatNumber(f);
  const inverse = 1 / Math.abs(f);
  const whole = Math.round(inverse);
  if (Math.abs(f) < 1 && whole > 1 && Math.abs(inverse - whole) <= 1e-9 * inverse) return `${f < 0 ? '−' : ''}1/${whole}`;
  return String(Number(f.toPrecision(3)));
}

/** A fraction as a signed percentage: 0.0312 -> "+3.12 %". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const p = fraction * 100;
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p).toFixed(2)} %`;
}

/** A Markdown table (cells already escaped). */
export function markdownTable(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
