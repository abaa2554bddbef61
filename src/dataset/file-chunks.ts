import { closeSync, openSync, readSync } from 'node:fs';
import zlib from 'node:zlib';
import type { BytesRead } from './header.js';

/** Compressed (or raw) bytes per file read. */
const READ_BYTES = 1024 * 1024;
/**
 * Inflated bytes per chunk: one buffer, reused, that stays in the core's L2 cache between the inflater
 * writing it and the value checks reading it.
 */
const OUTPUT_BYTES = 256 * 1024;

/**
 * The part of Node's zlib binding that `zlib.inflateSync` itself drives (lib/zlib.js, processChunkSync):
 * a synchronous inflate step that keeps its state between calls. `_writeState` holds [outLeft, inLeft].
 */
interface ZlibInternals {
  _handle?: { writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void };
  _writeState?: Uint32Array;
}

/** A file's bytes from `offset`, inflated when compressed. Each chunk is valid only until the next is requested. */
export interface FileChunks {
  chunks: AsyncGenerator<Buffer>;
  close(): void;
}

/**
 * Opens a file read-only and streams it in chunks. Reading and inflating happen on the calling thread,
 * not in libuv's thread pool: each scan worker is a thread of its own, and every hand-off to the pool and
 * back left it idle (measured on 2 cores, bench/dataset.ts: a zlib stream ran at 0.7x the speed of the
 * same inflate in place and scaled 1.3x from one worker to two; awaited reads left a worker idle 15% of
 * its time). A read or an inflate step blocks for a few milliseconds at most.
 */
export function fileChunks(file: string, offset: number, compression: 'gzip' | 'zlib' | undefined, onBytes: BytesRead): FileChunks {
  const chunks = readChunks(file, offset, compression, onBytes);
  // Closing a read-only file cannot lose data; a failure there is not worth a crash.
  return { chunks, close: () => void chunks.return(undefined).catch(() => {}) };
}

/**
 * Buffers of closed files, kept for the next: a fresh 1 MiB buffer costs 256 page faults on first use,
 * a noticeable share of a scan's time. A few suffice (a worker reads one file at a time).
 */
const spareBuffers: Buffer[] = [];

function borrowBuffer(bytes: number): Buffer {
  const at = spareBuffers.findIndex((b) => b.length === bytes);
  return at >= 0 ? spareBuffers.splice(at, 1)[0]! : Buffer.allocUnsafe(bytes);
}

function returnBuffer(buffer: Buffer): void {
  if (spareBuffers.length < 4) spareBuffers.push(buffer);
}

async function* readChunks(file: string, offset: number, compression: 'gzip' | 'zlib' | undefined, onBytes: BytesRead): AsyncGenerator<Buffer> {
  const fd = openSync(file, 'r');
  const input = borrowBuffer(READ_BYTES);
  let inflater: Inflater | undefined;
  try {
    inflater = compression && new Inflater(compression);
    for (let position = offset; ; ) {
      const bytesRead = readSync(fd, input, 0, READ_BYTES, position);
      position += bytesRead;
      if (bytesRead > 0) onBytes(bytesRead);
      const last = bytesRead === 0;
      if (inflater) yield* inflater.inflate(input.subarray(0, bytesRead), last);
      else if (!last) yield input.subarray(0, bytesRead);
      if (last) return;
    }
  } finally {
    inflater?.close();
    returnBuffer(input);
    closeSync(fd);
  }
}

class Inflater {
  private readonly stream: zlib.Gunzip | zlib.Inflate;
  private readonly internals: Required<ZlibInternals>;
  private readonly output = borrowBuffer(OUTPUT_BYTES);
  /** Bytes of `output` inflated but not yet handed on. */
  private filled = 0;

  constructor(compression: 'gzip' | 'zlib') {
    this.stream = compression === 'gzip' ? zlib.createGunzip() : zlib.createInflate();
    const internals = this.stream as unknown as ZlibInternals;
    if (typeof internals._handle?.writeSync !== 'function' || !(internals._writeState instanceof Uint32Array)) {
      throw new Error(`Node.js ${process.version} changed zlib's internals that nnunet-doctor inflates with; please report this`);
    }
    this.internals = internals as Required<ZlibInternals>;
    // zlib reports corrupt data by destroying the stream (which sets `errored` at once and emits 'error'
    // later); the error is thrown from `inflate`, so the late event is only kept from crashing the thread.
    this.stream.on('error', () => {});
  }

  /**
   * Inflates `input`; `last` (no more input) yields what is left and makes a stream that has not ended
   * an error (Z_BUF_ERROR). Chunks are whole buffers until the last: a chunk of odd length would leave
   * every later 16-bit chunk misaligned, to be copied before it can be viewed as values.
   */
  *inflate(input: Buffer, last: boolean): Generator<Buffer> {
    const { _handle: handle, _writeState: left } = this.internals;
    const flush = last ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH;
    let inOffset = 0;
    let inLength = input.length;
    for (;;) {
      handle.writeSync(flush, input, inOffset, inLength, this.output, this.filled, OUTPUT_BYTES - this.filled);
      if (this.stream.errored) throw this.stream.errored;
      const outLeft = left[0]!;
      const inLeft = left[1]!;
      inOffset += inLength - inLeft;
      inLength = inLeft;
      this.filled = OUTPUT_BYTES - outLeft;
      if (outLeft === 0 || (last && this.filled > 0)) {
        yield this.output.subarray(0, this.filled);
        this.filled = 0;
      }
      // Output room left over means zlib took all the input it wants (or the stream ended).
      if (outLeft !== 0) return;
    }
  }

  close(): void {
    this.stream.close();
    returnBuffer(this.output);
  }
}
