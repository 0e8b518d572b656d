// TensorBoard event-file writer: TFRecord-framed, hand-encoded protobuf `Event`s, no dependency
// beyond node: (works on every tfjs backend, needs no native summary writer).
//   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5 }
//   Summary { repeated Value value = 1 }
//   Value   { string tag = 1; float simple_value = 2 }
// One writer per folder; TensorBoard shows each folder under its logdir as a run.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WHOLE_MODEL, type MetricPoint } from '../../core/protocol';
import { LEARNING_RATE_METRIC, TOTAL_LOSS } from '../../core/runLayout';
import { encodeTfRecord } from './tfrecord';

export const FILE_VERSION = 'brain.Event:2';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/** Minimal protobuf encoder for the few field kinds an Event needs (and the HParams plugin data, study/hparams.ts). */
export class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private key(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  private varint(v: bigint): void {
    // int64: negatives are encoded as their 64-bit two's complement (10 bytes).
    let n = BigInt.asUintN(64, v);
    const bytes: number[] = [];
    do {
      let byte = Number(n & 0x7fn);
      n >>= 7n;
      if (n !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (n !== 0n);
    this.parts.push(Buffer.from(bytes));
  }

  double(field: number, v: number): this {
    this.key(field, WIRE_FIXED64);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.parts.push(b);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, WIRE_FIXED32);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
    return this;
  }

  int64(field: number, v: number): this {
    this.key(field, WIRE_VARINT);
    this.varint(BigInt(Math.trunc(v)));
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE_BYTES);
    this.varint(BigInt(data.length));
    this.parts.push(Buffer.from(data));
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface Scalar {
  tag: string;
  value: number;
}

export function encodeFileVersionEvent(wallTime: number): Buffer {
  return new ProtoWriter().double(1, wallTime).int64(2, 0).string(3, FILE_VERSION).finish();
}

/** One Event carrying a Summary with one simple_value per scalar (all at the same step). */
export function encodeScalarsEvent(wallTime: number, step: number, scalars: Scalar[]): Buffer {
  const summary = new ProtoWriter();
  for (const s of scalars) summary.bytes(1, new ProtoWriter().string(1, s.tag).float(2, s.value).finish());
  return new ProtoWriter().double(1, wallTime).int64(2, step).bytes(5, summary.finish()).finish();
}

/**
 * Tag of a metric point: `<task>/<metric>/<split>`; whole-model values `<metric>/<split>`, the total
 * loss named for what it sums (`total_loss_unweighted_sum/<split>`); the learning rate `lr`.
 */
export function tensorboardTag(point: Pick<MetricPoint, 'task' | 'metric' | 'split'>): string {
  if (point.task === WHOLE_MODEL) {
    if (point.metric === LEARNING_RATE_METRIC) return 'lr';
    return `${point.metric === 'loss' ? TOTAL_LOSS.tensorboardTag : point.metric}/${point.split}`;
  }
  return `${point.task}/${point.metric}/${point.split}`;
}

function safeHostname(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-') || 'localhost';
}

export interface TensorBoardWriterOptions {
  /** Seconds since the epoch, for the file name and wall times; default: the clock. */
  now?: () => number;
  hostname?: string;
}

/**
 * Appends events to `events.out.tfevents.<unix seconds>.<hostname>` in `logDir`. Scalars are
 * buffered and written on `flush()` (call it at epoch ends) and `close()`. The file only ever
 * grows by whole records: a write that fails part way (disk full) is cut back, and a file
 * whose first record cannot be written is removed rather than left empty.
 */
export class TensorBoardWriter {
  private pending: Buffer[] = [];
  private closed = false;
  /** Bytes of whole records in the file. */
  private size = 0;

  private constructor(
    readonly filePath: string,
    private readonly handle: fs.FileHandle,
    private readonly now: () => number,
  ) {}

  static async open(logDir: string, options: TensorBoardWriterOptions = {}): Promise<TensorBoardWriter> {
    const now = options.now ?? (() => Date.now() / 1000);
    await fs.mkdir(logDir, { recursive: true });
    const base = `events.out.tfevents.${Math.floor(now())}.${safeHostname(options.hostname ?? os.hostname())}`;
    for (let n = 0; ; n++) {
      const filePath = path.join(logDir, n === 0 ? base : `${base}.${n}`);
      try {
        const handle = await fs.open(filePath, 'wx'); // never append to another writer's file
        const writer = new TensorBoardWriter(filePath, handle, now);
        writer.pending.push(encodeTfRecord(encodeFileVersionEvent(now())));
        try {
          await writer.flush();
        } catch (err) {
          await handle.close().catch(() => undefined);
          await fs.rm(filePath, { force: true }).catch(() => undefined);
          throw err;
        }
        return writer;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw err;
      }
    }
  }

  /** Queues scalars logged at one step. */
  scalars(step: number, scalars: Scalar[], wallTime: number = this.now()): void {
    if (this.closed) throw new Error('TensorBoard writer is closed');
    if (scalars.length > 0) this.pending.push(encodeTfRecord(encodeScalarsEvent(wallTime, step, scalars)));
  }

  scalar(tag: string, value: number, step: number, wallTime?: number): void {
    this.scalars(step, [{ tag, value }], wallTime);
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    try {
      let written = 0;
      while (written < data.length) written += (await this.handle.write(data, written, data.length - written, this.size + written)).bytesWritten;
      this.size += data.length;
    } catch (err) {
      await this.handle.truncate(this.size).catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}
