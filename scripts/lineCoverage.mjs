// The mapping behind scripts/coverage.mjs (see its header): V8's block coverage of a bundle to the
// lines of its sources, through the bundle's source map, each line's offset counting its newline.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Each line's first offset in `text` (UTF-16 units, as V8 counts), newlines included. */
export function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** A source map's `mappings` as [generatedLine, generatedColumn, sourceIndex, originalLine] (all 0-based), segments with a source only. */
export function decodeMappings(mappings) {
  const out = [];
  let source = 0, originalLine = 0, originalColumn = 0;
  mappings.split(';').forEach((line, generatedLine) => {
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const fields = [];
      let value = 0, shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) { shift += 5; continue; }
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0; shift = 0;
      }
      column += fields[0];
      if (fields.length < 4) continue;
      source += fields[1]; originalLine += fields[2]; originalColumn += fields[3];
      out.push([generatedLine, column, source, originalLine]);
    }
  });
  return out;
}

/** Per character of the generated text, the count of the innermost V8 range holding it (-1: none). */
function innermostCounts(length, functions) {
  const counts = new Int32Array(length).fill(-1);
  const ranges = functions.flatMap((f) => f.ranges ?? []);
  // Outer ranges first, so that each inner one (a nested function, a block) paints over them.
  ranges.sort((a, b) => (b.endOffset - b.startOffset) - (a.endOffset - a.startOffset));
  for (const r of ranges) counts.fill(r.count, r.startOffset, Math.min(r.endOffset, length));
  return counts;
}

/**
 * From the coverage files NODE_V8_COVERAGE wrote: source file (relative to `root`) -> line (1-based)
 * -> whether it ran, over every process and bundle that maps to it.
 */
export function sourceLineCoverage(coverageDir, root) {
  const lines = new Map();
  for (const name of fs.readdirSync(coverageDir).filter((f) => f.endsWith('.json'))) {
    const coverage = JSON.parse(fs.readFileSync(path.join(coverageDir, name), 'utf8'));
    const maps = coverage['source-map-cache'] ?? {};
    for (const script of coverage.result) {
      const map = maps[script.url]?.data;
      if (!map || !script.url.startsWith('file:')) continue;
      const bundle = fileURLToPath(script.url);
      const text = fs.readFileSync(bundle, 'utf8');
      const starts = lineStarts(text);
      const counts = innermostCounts(text.length, script.functions);
      // Node's cache holds the sources as file URLs; a map read from disk, as paths beside the bundle.
      const sources = map.sources.map((s) => path.relative(root, s.startsWith('file:') ? fileURLToPath(s) : path.resolve(path.dirname(bundle), map.sourceRoot ?? '', s)));
      for (const [generatedLine, column, source, originalLine] of decodeMappings(map.mappings)) {
        const offset = (starts[generatedLine] ?? Infinity) + column;
        if (offset >= text.length) continue;
        const file = sources[source];
        if (!lines.has(file)) lines.set(file, new Map());
        const byLine = lines.get(file);
        byLine.set(originalLine + 1, (byLine.get(originalLine + 1) ?? false) || counts[offset] > 0);
      }
    }
  }
  return lines;
}

/** 3, 4, 5, 9 -> "3-5 9". */
export function lineRanges(numbers) {
  const parts = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    parts.push(j > i ? `${numbers[i]}-${numbers[j]}` : `${numbers[i]}`);
    i = j;
  }
  return parts.join(' ');
}
