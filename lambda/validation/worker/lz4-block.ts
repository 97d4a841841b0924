/**
 * LZ4 block decoding that never writes past its output and fails on any reference outside the bytes decoded so
 * far: hyparquet-compressors' decoder drops writes past the end and returns the declared size whatever it decoded.
 */

/** Decodes one LZ4 block into `output` from `at`; returns the bytes written, throwing on any inconsistency. */
export function decodeLz4Block(input: Uint8Array, output: Uint8Array, at: number): number {
  let out = at;
  let i = 0;
  const byte = () => {
    if (i >= input.length) throw new Error('lz4 block ends inside a sequence');
    return input[i++];
  };
  const length = (initial: number) => {
    let total = initial;
    if (initial === 15) for (let next = 255; next === 255; total += next) next = byte();
    return total;
  };
  while (i < input.length) {
    const token = byte();
    const literals = length(token >> 4);
    if (i + literals > input.length || out + literals > output.length) {
      throw new Error('lz4 literals run past the block or the declared page size');
    }
    output.set(input.subarray(i, i + literals), out);
    out += literals;
    i += literals;
    if (i === input.length) break;
    const offset = byte() | (byte() << 8);
    const match = length(token & 0xf) + 4;
    if (offset === 0 || offset > out - at) throw new Error(`lz4 match offset ${offset} points before the block`);
    if (out + match > output.length) throw new Error('lz4 match runs past the declared page size');
    for (let from = out - offset, end = out + match; out < end;) output[out++] = output[from++];
  }
  return out - at;
}

/**
 * Parquet's legacy LZ4 is Hadoop's framing (big-endian output and input lengths before each block) or, from some
 * writers, a bare block; like arrow, try the framing first.
 */
export function decodeLz4Hadoop(input: Uint8Array, output: Uint8Array): number | undefined {
  let i = 0;
  let out = 0;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  while (i + 8 <= input.length) {
    const expectedOut = view.getUint32(i);
    const expectedIn = view.getUint32(i + 4);
    i += 8;
    if (expectedIn > input.length - i || expectedOut > output.length - out) return undefined;
    let written: number;
    try {
      written = decodeLz4Block(input.subarray(i, i + expectedIn), output.subarray(0, out + expectedOut), out);
    } catch {
      return undefined;
    }
    if (written !== expectedOut) return undefined;
    i += expectedIn;
    out += expectedOut;
    if (i === input.length) return out;
  }
  return undefined;
}
