// TFRecord framing, the container of TensorBoard event files:
//   uint64 LE length | uint32 LE masked CRC32C(length bytes) | data | uint32 LE masked CRC32C(data)
import { maskedCrc32c } from './crc32c';

export function encodeTfRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

export class TfRecordCorruptError extends Error {}

/**
 * Splits a buffer into records, checking both CRCs of each. A truncated last record (a file
 * still being written) ends the list and sets `truncated`; a CRC mismatch throws.
 */
export function decodeTfRecords(buf: Uint8Array): { records: Buffer[]; truncated: boolean } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const records: Buffer[] = [];
  let pos = 0;
  while (pos < b.length) {
    if (b.length - pos < 12) return { records, truncated: true };
    const lengthBytes = b.subarray(pos, pos + 8);
    if (b.readUInt32LE(pos + 8) !== maskedCrc32c(lengthBytes)) {
      throw new TfRecordCorruptError(`length CRC mismatch at byte ${pos}`);
    }
    const length = Number(b.readBigUInt64LE(pos));
    if (b.length - pos < 12 + length + 4) return { records, truncated: true };
    const data = b.subarray(pos + 12, pos + 12 + length);
    if (b.readUInt32LE(pos + 12 + length) !== maskedCrc32c(data)) {
      throw new TfRecordCorruptError(`data CRC mismatch in record ${records.length} at byte ${pos}`);
    }
    records.push(data);
    pos += 12 + length + 4;
  }
  return { records, truncated: false };
}
