// Reading a text file in 64 KB chunks, decoded as it goes: a data file is never held whole in
// memory as one string. (64 KB, not 1 MB: a decoded chunk that size is a young-generation
// string that dies in the next scavenge; a 1 MB one waits in large-object space for a full GC.)
// UTF-8 is the default and is checked (fatal decoding): a file in another encoding is refused
// with the line of its first bad byte instead of being read with replacement characters,
// unless the source declares its `encoding`.
import * as fs from 'node:fs';
import { TEXT_ENCODINGS } from '../../core/experimentSchema';
import type { TextEncoding } from '../../core/spec';
import { DataError } from './errors';

export const CHUNK_BYTES = 1 << 16;


const ENCODING_PATH = ['data', 'source', 'encoding'];

/**
 * Calls `onText` with the decoded text of the file, chunk by chunk (a UTF-8 byte-order mark is
 * dropped). `maxBytes` stops early (reading only a header). `name` is how messages name the file.
 */
export function readTextChunks(file: string, name: string, onText: (text: string) => void | 'stop', options: { encoding?: TextEncoding; maxBytes?: number } = {}): void {
  const encoding = options.encoding ?? 'utf-8';
  const utf8 = encoding === 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: utf8 });
  } catch {
    throw new DataError(`data.source.encoding '${encoding}' is not supported here; use one of ${TEXT_ENCODINGS.join(', ')}.`, ENCODING_PATH);
  }
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let position = 0;
    for (;;) {
      const bytes = fs.readSync(fd, buffer, 0, buffer.length, position);
      const end = bytes === 0;
      position += bytes;
      let text: string;
      try {
        // stream: true keeps a character cut by the chunk's end for the next chunk.
        text = decoder.decode(buffer.subarray(0, bytes), { stream: !end });
      } catch {
        throw notUtf8(file, name, end ? undefined : position);
      }
      if (text.length > 0 && onText(text) === 'stop') return;
      if (end || (options.maxBytes !== undefined && position >= options.maxBytes)) return;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function notUtf8(file: string, name: string, limit: number | undefined): DataError {
  const at = firstInvalidUtf8(file, limit);
  const where = at ? `line ${at.line} has a byte that is not UTF-8` : 'it ends inside a character';
  return new DataError(`${name} is not valid UTF-8 (${where}). Save it as UTF-8, or declare its encoding in data.source.encoding, e.g. "latin1" or "utf-16le".`, ENCODING_PATH);
}

/**
 * Line (1-based) of the first byte that cannot be part of UTF-8, or undefined when the file
 * only ends inside a character (a cut last sequence). Only runs once decoding has failed.
 */
export function firstInvalidUtf8(file: string, limit?: number): { line: number; offset: number } | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let position = 0;
    let line = 1;
    let need = 0; // continuation bytes still expected
    let lo = 0x80;
    let hi = 0xbf; // allowed range of the next continuation byte
    let leadLine = 1;
    let leadOffset = 0;
    for (;;) {
      const bytes = fs.readSync(fd, buffer, 0, buffer.length, position);
      if (bytes === 0) return undefined;
      for (let i = 0; i < bytes; i++) {
        const b = buffer[i] as number;
        if (need > 0) {
          if (b < lo || b > hi) return { line: leadLine, offset: leadOffset };
          need--; lo = 0x80; hi = 0xbf;
          continue;
        }
        if (b === 0x0a || (b === 0x0d && buffer[i + 1] !== 0x0a)) line++;
        if (b < 0x80) continue;
        leadLine = line;
        leadOffset = position + i;
        if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
        else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
        else return { line, offset: position + i };
      }
      position += bytes;
      if (limit !== undefined && position >= limit) return undefined;
    }
  } finally {
    fs.closeSync(fd);
  }
}
