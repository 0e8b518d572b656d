import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32c, maskedCrc32c } from '../../../src/trainer/artifacts/crc32c';
import { decodeTfRecords, encodeTfRecord, TfRecordCorruptError } from '../../../src/trainer/artifacts/tfrecord';

describe('CRC-32C', () => {
  it('matches the published check value and the RFC 3720 (iSCSI) vectors', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(Buffer.alloc(0)), 0);
    assert.equal(crc32c(Buffer.alloc(32, 0x00)), 0x8a9136aa);
    assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
    assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
    assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), 0x113fdb5c);
  });

  it('masks as TFRecord does: rotate right by 15, add 0xa282ead8', () => {
    const crc = 0xe3069283;
    const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
    assert.equal(maskedCrc32c(Buffer.from('123456789')), (rotated + 0xa282ead8) >>> 0);
  });
});

describe('TFRecord framing', () => {
  it('round-trips records and checks both CRCs', () => {
    const payloads = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(1000, 7)];
    const file = Buffer.concat(payloads.map(encodeTfRecord));
    assert.equal(file.length, payloads.reduce((s, p) => s + 16 + p.length, 0));
    const { records, truncated } = decodeTfRecords(file);
    assert.equal(truncated, false);
    assert.deepEqual(records.map((r) => r.toString('hex')), payloads.map((p) => p.toString('hex')));
  });

  it('detects a flipped byte in the data and in the length', () => {
    const record = encodeTfRecord(Buffer.from('some event bytes'));
    const badData = Buffer.from(record);
    badData[14] = (badData[14] as number) ^ 0x01;
    assert.throws(() => decodeTfRecords(badData), TfRecordCorruptError);
    const badLength = Buffer.from(record);
    badLength[0] = (badLength[0] as number) ^ 0x01;
    assert.throws(() => decodeTfRecords(badLength), TfRecordCorruptError);
  });

  it('treats a truncated last record as a file still being written', () => {
    const file = Buffer.concat([encodeTfRecord(Buffer.from('a')), encodeTfRecord(Buffer.from('bbbb'))]);
    const { records, truncated } = decodeTfRecords(file.subarray(0, file.length - 3));
    assert.equal(records.length, 1);
    assert.equal(truncated, true);
  });
});
