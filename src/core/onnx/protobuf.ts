// The protobuf wire format, as much of it as reading and rewriting an ONNX model needs: walk a message's
// fields, decode varints and length-delimited payloads, and encode length-delimited fields. Field values
// are views into the original bytes, so an untouched field is copied back byte for byte.

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

export interface Field {
  readonly number: number;
  readonly wireType: number;
  /** The field's whole encoding (tag included), for copying it unchanged. */
  readonly raw: Uint8Array;
  /** LEN: the payload; I32/I64: the 4 or 8 bytes; VARINT: empty (see `varint`). */
  readonly bytes: Uint8Array;
  /** VARINT fields: the value (a bigint beyond 2^53 is not needed by ONNX's dims and enums). */
  readonly varint: number;
}

function readVarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new Error(`malformed protobuf: truncated varint at byte ${at}`);
}

/** The fields of one message, in order. Throws on a truncated or malformed encoding. */
export function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    const [tag, afterTag] = readVarint(buf, at);
    const number = Math.floor(tag / 8);
    const wireType = tag & 7;
    at = afterTag;
    let bytes = buf.subarray(at, at);
    let varint = 0;
    if (wireType === VARINT) [varint, at] = readVarint(buf, at);
    else if (wireType === I64 || wireType === I32) {
      const n = wireType === I64 ? 8 : 4;
      bytes = buf.subarray(at, at + n);
      at += n;
    } else if (wireType === LEN) {
      const [len, payload] = readVarint(buf, at);
      bytes = buf.subarray(payload, payload + len);
      at = payload + len;
    } else throw new Error(`malformed protobuf: wire type ${wireType} at byte ${start}`);
    if (at > buf.length || number === 0) throw new Error(`malformed protobuf: field at byte ${start} runs past the end`);
    out.push({ number, wireType, raw: buf.subarray(start, at), bytes, varint });
  }
  return out;
}

/** Packed repeated varints (proto3's default for repeated int64), or one unpacked value. */
export function varints(f: Field): number[] {
  if (f.wireType === VARINT) return [f.varint];
  const out: number[] = [];
  for (let at = 0; at < f.bytes.length; ) {
    const [v, next] = readVarint(f.bytes, at);
    out.push(v);
    at = next;
  }
  return out;
}

const utf8 = new TextDecoder();
export const text = (f: Field): string => utf8.decode(f.bytes);

function encodeVarint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A length-delimited field (a message, string or bytes). */
export function lenField(number: number, payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return concat([Uint8Array.from([...encodeVarint(number * 8 + LEN), ...encodeVarint(body.length)]), body]);
}

export function varintField(number: number, value: number): Uint8Array {
  return Uint8Array.from([...encodeVarint(number * 8 + VARINT), ...encodeVarint(value)]);
}
