// The protobuf writer of the ONNX export against the encoding guide's own worked examples
// (https://protobuf.dev/programming-guides/encoding/) and the int64 rule for negative numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtoWriter } from '../../../src/trainer/export/onnx/protobuf';

const hex = (w: ProtoWriter) => Buffer.from(w.finish()).toString('hex');

test('varint field: 150 in field 1 is 08 96 01', () => {
  assert.equal(hex(new ProtoWriter().int(1, 150)), '089601');
});

test('a negative int64 (an axis of -1) is its 64-bit two\'s complement: ten bytes', () => {
  assert.equal(hex(new ProtoWriter().int(2, -1)), '10ffffffffffffffffff01');
});

test('string field: "testing" in field 2 is 12 07 then its bytes', () => {
  assert.equal(hex(new ProtoWriter().string(2, 'testing')), '120774657374696e67');
});

test('nested message: {1: 150} in field 3 is 1a 03 08 96 01', () => {
  assert.equal(hex(new ProtoWriter().message(3, new ProtoWriter().int(1, 150))), '1a03089601');
});

test('float field: 1.5 in field 2 is wire type 5, little-endian IEEE 754', () => {
  assert.equal(hex(new ProtoWriter().float(2, 1.5)), '150000c03f');
});

test('fields follow in the order written', () => {
  assert.equal(hex(new ProtoWriter().int(1, 1).string(2, 'a')), '08011201' + '61');
});

test('a non-integer int field is refused, not rounded', () => {
  assert.throws(() => new ProtoWriter().int(1, 0.5), /not an integer/);
});
