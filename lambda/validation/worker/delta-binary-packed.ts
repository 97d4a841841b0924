/**
 * DELTA_BINARY_PACKED values, and the DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY pages whose lengths are stored
 * that way, walked as DuckDB's decoder walks them (extension/parquet's DbpDecoder): the same header checks, the same
 * blocks and miniblocks unpacked for the values it reads, and a refusal wherever it would run out of the page's bytes.
 * hyparquet reads these pages without bounds: a block size or a miniblock count that no writer writes, or a block that
 * runs past the page, decodes to whatever the bytes after it hold.
 */

/** DuckDB unpacks 32 values at a time; a miniblock holds a multiple of that. */
const GROUP = 32;
/** Bit widths DuckDB can unpack (its masks run from 0 to 64 bits). */
const MAX_WIDTH = 64;

export const DELTA_ENCODINGS = { binaryPacked: 5, lengthByteArray: 6, byteArray: 7 } as const;

/** What DuckDB refuses, as the reason a page is corrupt. */
class Refusal extends Error {}

/** A cursor over the page's bytes that refuses a read past them, as DuckDB's ByteBuffer does ("Out of buffer"). */
class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
  ) {}

  need(count: number, what: string): void {
    if (count > this.bytes.length - this.at) {
      throw new Refusal(`${what} runs past the page (${count} bytes, ${this.bytes.length - this.at} left)`);
    }
  }

  /** An unsigned LEB128 integer of up to 64 bits, as DuckDB's VarintDecode reads it. */
  varint(what: string): bigint {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      this.need(1, what);
      const byte = this.bytes[this.at++];
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, value);
      if (shift + 7n > 64n) throw new Refusal(`${what} is a variable-length integer of more than 64 bits`);
    }
  }

  zigzag(what: string): bigint {
    const raw = this.varint(what);
    return BigInt.asIntN(64, (raw >> 1n) ^ -(raw & 1n));
  }
}

/**
 * One DELTA_BINARY_PACKED run: `<block size> <miniblocks per block> <total values> <first value>`, then blocks of
 * `<min delta> <one bit width per miniblock> <miniblocks>`. Reads as many values as asked, unpacking whole groups of
 * 32, and, for lengths, hands each value on as an unsigned 32-bit number.
 */
class DeltaRun {
  readonly total: bigint;
  private readonly miniblocks: number;
  private readonly perMiniblock: number;
  private first = true;
  private read = 0n;
  private minDelta = 0n;
  private miniblock: number;
  private miniblockOffset: number;
  private widthsAt = 0;
  private unpackedOffset = GROUP;
  private readonly unpacked = new Array<number>(GROUP).fill(0);
  private previous: number;

  constructor(
    readonly cursor: Cursor,
    private readonly valueBits: number,
  ) {
    const blockSize = cursor.varint('the block size');
    const miniblocks = cursor.varint('the miniblock count');
    if (miniblocks === 0n) throw new Refusal('its DELTA_BINARY_PACKED header claims 0 miniblocks per block');
    this.total = cursor.varint('the value count');
    this.previous = Number(BigInt.asUintN(32, cursor.zigzag('the first value')));
    const perMiniblock = blockSize / miniblocks;
    if (blockSize % miniblocks !== 0n || perMiniblock % BigInt(GROUP) !== 0n) {
      throw new Refusal(
        `its DELTA_BINARY_PACKED header claims blocks of ${blockSize} values in ${miniblocks} miniblocks, ` +
          `not a multiple of ${GROUP} values per miniblock`,
      );
    }
    // Past 2^53 a miniblock can never be used up before the page's bytes are: the count only has to differ from 0.
    this.miniblocks = Number(miniblocks);
    this.perMiniblock = Number(perMiniblock);
    this.miniblock = this.miniblocks - 1;
    this.miniblockOffset = this.perMiniblock;
  }

  /** Reads `count` more values; `onValue` receives each (lengths only: the page's own values are not needed). */
  values(count: bigint, onValue?: (value: number) => void): void {
    if (this.read + count > this.total) {
      throw new Refusal(`its DELTA_BINARY_PACKED run holds ${this.total} values, ${this.read + count} are read`);
    }
    this.read += count;
    this.walk(Number(count), onValue);
  }

  /** Reads the rest of the current miniblock, as DuckDB does after a run of lengths. */
  finish(): void {
    if (this.miniblockOffset !== this.perMiniblock) this.walk(this.perMiniblock - this.miniblockOffset);
  }

  private walk(count: number, onValue?: (value: number) => void): void {
    if (count === 0) return;
    let done = 0;
    if (this.first) {
      onValue?.(this.previous);
      this.first = false;
      done = 1;
    }
    while (done < count) {
      const next = Math.min(count - done, GROUP - this.unpackedOffset);
      if (next > 0) {
        if (onValue) {
          for (let i = 0; i < next; i++) {
            this.previous = (this.previous + this.minDelta32() + this.unpacked[this.unpackedOffset + i]) % 2 ** 32;
            onValue(this.previous);
          }
        }
        done += next;
        this.unpackedOffset += next;
        continue;
      }
      if (this.miniblockOffset === this.perMiniblock) {
        this.miniblockOffset = 0;
        if (++this.miniblock === this.miniblocks) {
          this.minDelta = this.cursor.zigzag("a block's min delta");
          this.cursor.need(this.miniblocks, "a block's bit widths");
          this.widthsAt = this.cursor.at;
          this.cursor.at += this.miniblocks;
          this.miniblock = 0;
        }
      }
      this.unpack(this.cursor.bytes[this.widthsAt + this.miniblock], Boolean(onValue));
      this.unpackedOffset = 0;
      this.miniblockOffset += GROUP;
    }
  }

  private minDelta32(): number {
    return Number(BigInt.asUintN(32, this.minDelta));
  }

  private unpack(width: number, keep: boolean): void {
    if (width > MAX_WIDTH || width > this.valueBits) {
      throw new Refusal(`a miniblock's bit width ${width} is more than its ${this.valueBits}-bit values take`);
    }
    const bytes = (GROUP * width) / 8;
    this.cursor.need(bytes, `a miniblock of ${GROUP} values of ${width} bits`);
    if (keep) {
      const { bytes: data, at } = this.cursor;
      for (let i = 0; i < GROUP; i++) {
        let value = 0;
        for (let bit = 0; bit < width; bit++) {
          const position = i * width + bit;
          value += ((data[at + (position >> 3)] >> (position & 7)) & 1) * 2 ** bit;
        }
        this.unpacked[i] = value;
      }
    }
    this.cursor.at += bytes;
  }
}

/**
 * A run of lengths read whole (its values, then the rest of its miniblock); the cursor is left after it. A run holds
 * one length per value present, so never more than the page's values: that bound keeps a run of empty miniblocks,
 * which take no bytes, from claiming 2^60 lengths to walk.
 */
function lengthRun(cursor: Cursor, pageValues: number, onValue?: (value: number) => void): DeltaRun {
  const run = new DeltaRun(cursor, 32);
  if (run.total > BigInt(pageValues)) {
    throw new Refusal(`its run of lengths claims ${run.total} values, the page holds ${pageValues}`);
  }
  run.values(run.total, onValue);
  run.finish();
  return run;
}

/** The page's values section, as DuckDB holds it, and what it reads of it. */
export interface DeltaValues {
  readonly encoding: number;
  /** The page's bytes as DuckDB holds them, levels included. */
  readonly block: Uint8Array;
  /** Where the values start in `block`. */
  readonly start: number;
  /** The values the page's definition levels say are present. */
  readonly present: number;
  /** The page's values, nulls included. */
  readonly pageValues: number;
  /** The column's physical type: INT32 or INT64 for DELTA_BINARY_PACKED. */
  readonly physicalType: string;
}

/** Why DuckDB would refuse the page's DELTA values, or undefined when it reads them. */
export function deltaProblem(page: DeltaValues): string | undefined {
  try {
    walkDelta(page);
    return undefined;
  } catch (error) {
    if (error instanceof Refusal) return error.message;
    throw error;
  }
}

function walkDelta({ encoding, block, start, present, pageValues, physicalType }: DeltaValues): void {
  const cursor = new Cursor(block, start);
  const wanted = BigInt(present);
  if (encoding === DELTA_ENCODINGS.binaryPacked) {
    new DeltaRun(cursor, physicalType === 'INT32' ? 32 : 64).values(wanted);
  } else if (encoding === DELTA_ENCODINGS.lengthByteArray) {
    let bytes = 0;
    const lengths = lengthRun(cursor, pageValues, (length) => (bytes += length));
    if (lengths.total < wanted) throw new Refusal(`it holds ${lengths.total} lengths for ${present} values`);
    cursor.need(bytes, 'the strings its lengths add up to');
  } else if (encoding === DELTA_ENCODINGS.byteArray) {
    walkPrefixesAndSuffixes(cursor, wanted, pageValues);
  }
}

/**
 * A DELTA_BYTE_ARRAY page: a run of prefix lengths, a run of suffix lengths as many, then the suffixes. Each prefix
 * reuses the previous value's first bytes, so it can be no longer than that value. The runs are read first to find
 * where each ends, then side by side, so that no array of a count the page claims is ever allocated.
 */
function walkPrefixesAndSuffixes(cursor: Cursor, wanted: bigint, pageValues: number): void {
  const prefixesAt = cursor.at;
  const prefixCount = lengthRun(cursor, pageValues).total;
  const suffixesAt = cursor.at;
  const suffixCount = lengthRun(cursor, pageValues).total;
  if (prefixCount !== suffixCount) {
    throw new Refusal(`it holds ${prefixCount} prefix lengths and ${suffixCount} suffix lengths`);
  }
  if (prefixCount < wanted) throw new Refusal(`it holds ${prefixCount} values, ${wanted} are present`);
  const suffixBytes = new Cursor(cursor.bytes, cursor.at);
  const prefixes = new DeltaRun(new Cursor(cursor.bytes, prefixesAt), 32);
  const suffixes = new DeltaRun(new Cursor(cursor.bytes, suffixesAt), 32);
  let [previous, prefix, suffix] = [0, 0, 0];
  for (let index = 0n; index < prefixCount; index++) {
    prefixes.values(1n, (value) => (prefix = value));
    suffixes.values(1n, (value) => (suffix = value));
    if (prefix > previous) throw new Refusal(`value ${index} reuses ${prefix} bytes of a ${previous}-byte value`);
    suffixBytes.need(suffix, `value ${index}'s suffix`);
    suffixBytes.at += suffix;
    previous = prefix + suffix;
  }
}
