// How many examples a spec's data source holds, without loading it: generated sources from
// their settings, CSV/JSONL files by counting lines in a streaming pass (no parse, constant
// memory). The memory budget (core/budget.ts) multiplies it by the features per example.
import * as fs from 'node:fs';
import type { ExperimentSpec } from '../../core/spec';
import { MULTIMNIST_DEFAULT_SAMPLES } from './multimnist';
import { SYNTHETIC_DEFAULTS } from './syntheticCorrelated';
import { SEQUENCE_DEFAULTS } from './syntheticSequence';
import type { DataFolders } from './confine';
import { resolveDataPath } from './tabularFile';

/** Digits in the bundled `mnist` package (see mnist.ts); `limit` takes at most this many. */
const MNIST_DIGITS = 10_000;
const NEWLINE = 0x0a;

/** Examples in the source; undefined when the file cannot be read or is not allowed (loading says why). */
export function countRows(spec: Pick<ExperimentSpec, 'data'>, folders: DataFolders): number | undefined {
  const source = spec.data.source;
  switch (source.type) {
    case 'mnist': return Math.min(source.limit ?? MNIST_DIGITS, MNIST_DIGITS);
    case 'multimnist': return source.samples ?? MULTIMNIST_DEFAULT_SAMPLES;
    case 'synthetic-correlated': return source.samples ?? SYNTHETIC_DEFAULTS.samples;
    case 'synthetic-sequence': return source.samples ?? SEQUENCE_DEFAULTS.samples;
    case 'csv':
    case 'jsonl':
      try {
        const lines = countLines(resolveDataPath(source.path, folders));
        return Math.max(0, source.type === 'csv' ? lines - 1 : lines);
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

/** Non-empty lines (a last line without a newline counts; blank lines do not). An upper bound for quoted multi-line CSV fields. */
function countLines(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let lines = 0;
    let lineHasContent = false;
    for (let bytes; (bytes = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
      for (let i = 0; i < bytes; i++) {
        const b = buffer[i]!;
        if (b === NEWLINE) {
          if (lineHasContent) lines++;
          lineHasContent = false;
        } else if (b !== 0x0d && b !== 0x20 && b !== 0x09) lineHasContent = true;
      }
    }
    return lines + (lineHasContent ? 1 : 0);
  } finally {
    fs.closeSync(fd);
  }
}
