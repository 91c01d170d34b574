/**
 * How batches travel (both directions; see protocol.ts for what they hold).
 *
 * A batch is either **encoded** (@mp/serialize bytes, plus a sidecar of shared memory and ports
 * for thread workers) or **plain** (the ops array itself, when plain.ts says it needs nothing
 * more than structured clone).
 * - Port (thread): `[payload, sidecar | null, first, count]`, payload a Uint8Array (encoded, its
 *   buffer moved, not copied) or an Array (plain, structured clone); a start marker is a number.
 * - Socket (spawn): frames `[u32 length][type][u32 first][u32 count][body]`, type FRAME_BATCH
 *   (body: @mp/serialize bytes) or FRAME_PLAIN (body: `v8.serialize`); a start marker is
 *   `[u32 5][FRAME_START][u32 wseq]`.
 * `first`/`count`: the task wseqs a batch from the pool holds (0, 0 for batches of answers).
 */
import fs from 'node:fs';
import type net from 'node:net';
import v8 from 'node:v8';
import type { MessagePort, TransferListItem } from 'node:worker_threads';
import type { Sidecar } from '@mp/serialize/spi';
import { FRAME_BATCH, FRAME_PLAIN, FRAME_START } from './protocol.js';

export type Outgoing = { readonly plain: unknown[] } | { readonly bytes: Uint8Array; readonly sidecar: Sidecar | null };

export interface Incoming {
  /** Plain ops, or undefined when `bytes` must be decoded. */
  readonly ops: unknown[] | undefined;
  readonly bytes: Uint8Array | undefined;
  readonly sidecar: Sidecar | undefined;
  readonly first: number;
  readonly count: number;
}

function hasSidecar(sidecar: Sidecar | null | undefined): sidecar is Sidecar {
  return sidecar != null && (sidecar.shared.length > 0 || sidecar.transfer.length > 0);
}

/** True if posting `bytes` may move its buffer: the view covers a buffer of its own. */
function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

export function postBatch(port: MessagePort, out: Outgoing, first = 0, count = 0): void {
  if ('plain' in out) {
    port.postMessage([out.plain, null, first, count]);
    return;
  }
  const transfer: TransferListItem[] = ownsBuffer(out.bytes) ? [out.bytes.buffer as ArrayBuffer] : [];
  const sidecar = hasSidecar(out.sidecar) ? out.sidecar : null;
  if (sidecar !== null) transfer.push(...(sidecar.transfer as TransferListItem[]));
  port.postMessage([out.bytes, sidecar, first, count], transfer);
}

/** A message from a port: a start marker (number), a batch, or null for anything else. */
export function readPortMessage(message: unknown): Incoming | number | null {
  if (typeof message === 'number') return message;
  if (!Array.isArray(message)) return null;
  const [payload, sidecar, first, count] = message as [unknown, Sidecar | null, number, number];
  if (payload instanceof Uint8Array) return { ops: undefined, bytes: payload, sidecar: sidecar ?? undefined, first, count };
  if (Array.isArray(payload)) return { ops: payload, bytes: undefined, sidecar: undefined, first, count };
  return null;
}

function frameOf(out: Outgoing, first: number, count: number): [Buffer, Uint8Array] {
  const plain = 'plain' in out;
  const body = plain ? v8.serialize(out.plain) : out.bytes;
  const header = Buffer.allocUnsafe(13);
  header.writeUInt32BE(body.byteLength + 9, 0);
  header[4] = plain ? FRAME_PLAIN : FRAME_BATCH;
  header.writeUInt32BE(first >>> 0, 5);
  header.writeUInt32BE(count >>> 0, 9);
  return [header, body];
}

/** Writes a batch as one frame, in one writev. */
export function writeBatch(socket: net.Socket, out: Outgoing, first = 0, count = 0): void {
  const [header, body] = frameOf(out, first, count);
  socket.cork();
  socket.write(header);
  socket.write(body);
  socket.uncork();
}

/** write(2) of a batch on a socket's descriptor, from an `exit` handler; false if it cannot be done. */
export function writeBatchSync(socket: net.Socket, out: Outgoing): boolean {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0 || socket.writableLength > 0) return false;
  try {
    fs.writeSync(fd, Buffer.concat(frameOf(out, 0, 0)));
    return true;
  } catch {
    return false;
  }
}

export function startFrame(wseq: number): Buffer {
  const frame = Buffer.allocUnsafe(9);
  frame.writeUInt32BE(5, 0);
  frame[4] = FRAME_START;
  frame.writeUInt32BE(wseq >>> 0, 5);
  return frame;
}

/** A frame from a socket: a start marker (number), a batch, or null for an unknown type. */
export function readFrame(frame: Buffer): Incoming | number | null {
  const type = frame[0];
  if (type === FRAME_START) return frame.readUInt32BE(1);
  if (type !== FRAME_BATCH && type !== FRAME_PLAIN) return null;
  const first = frame.readUInt32BE(1);
  const count = frame.readUInt32BE(5);
  const body = frame.subarray(9);
  if (type === FRAME_PLAIN) return { ops: v8.deserialize(body) as unknown[], bytes: undefined, sidecar: undefined, first, count };
  return { ops: undefined, bytes: body, sidecar: undefined, first, count };
}
