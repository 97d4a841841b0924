/**
 * Parquet page headers read from Thrift's compact protocol, only the fields the page walk judges, every length
 * checked against the bytes: hyparquet's reader yields whatever a damaged header decodes to.
 */

export interface PageHeader {
  readonly type: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  /** Values (data pages, nulls included) or entries (dictionary pages). */
  readonly values: number;
  /** The data page's encoding; dictionary-encoded pages need a dictionary page before them. */
  readonly encoding?: number;
  /** Where the page's data starts. */
  readonly dataStart: number;
}

export const PAGE_TYPES = { data: 0, index: 1, dictionary: 2, dataV2: 3 } as const;
/** PLAIN_DICTIONARY and RLE_DICTIONARY. */
export const DICTIONARY_ENCODINGS = new Set([2, 8]);

const MAX_STRUCT_DEPTH = 8;
const THRIFT_I32 = 5;

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
  ) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('the page header runs past the column chunk');
    return this.bytes[this.at++];
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      if (shift > 63) throw new Error('the page header holds an overlong integer');
    }
  }

  zigzag(): number {
    const raw = this.varint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  advance(bytes: number): void {
    if (bytes < 0 || this.at + bytes > this.bytes.length) throw new Error('the page header runs past the column chunk');
    this.at += bytes;
  }

  /** Calls `field` for each field of a struct; skips what `field` does not read. */
  struct(field: (id: number, type: number) => boolean, depth = 0): void {
    if (depth > MAX_STRUCT_DEPTH) throw new Error('the page header nests too deep');
    let id = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === 0) return;
      id = head >> 4 ? id + (head >> 4) : this.zigzag();
      if (!field(id, type)) this.skipValue(type, depth);
    }
  }

  private skipValue(type: number, depth: number): void {
    if (type === 1 || type === 2) return;
    if (type === 3) return this.advance(1);
    if (type >= 4 && type <= 6) return void this.varint();
    if (type === 7) return this.advance(8);
    if (type === 8) return this.advance(this.varint());
    if (type === 9 || type === 10) {
      const head = this.byte();
      const size = head >> 4 === 15 ? this.varint() : head >> 4;
      for (let i = 0; i < size; i++) this.skipValue(head & 0x0f, depth + 1);
      return;
    }
    if (type === 11) {
      const size = this.varint();
      const types = size ? this.byte() : 0;
      for (let i = 0; i < size; i++) {
        this.skipValue(types >> 4, depth + 1);
        this.skipValue(types & 0x0f, depth + 1);
      }
      return;
    }
    if (type === 12) return this.struct(() => false, depth + 1);
    throw new Error(`the page header holds an unknown Thrift type ${type}`);
  }
}

/** Reads the page header at `at` of a column chunk's bytes. */
export function readPageHeader(bytes: Uint8Array, at: number): PageHeader {
  const reader = new Reader(bytes, at);
  const header: { -readonly [K in keyof PageHeader]?: PageHeader[K] } = {};
  const int = () => reader.zigzag();
  const nested = (values: number, encoding?: number) => (id: number) => {
    if (id === values) header.values = int();
    else if (id === encoding) header.encoding = int();
    else return false;
    return true;
  };
  reader.struct((id, type) => {
    if (id <= 3 && type !== THRIFT_I32) throw new Error(`the page header's field ${id} is not an integer`);
    if (id === 1) header.type = int();
    else if (id === 2) header.uncompressedSize = int();
    else if (id === 3) header.compressedSize = int();
    else if (type !== 12) return false;
    else if (id === 5) reader.struct(nested(1, 2), 1);
    else if (id === 7) reader.struct(nested(1), 1);
    else if (id === 8) reader.struct(nested(1, 4), 1);
    else return false;
    return true;
  });
  const { type, uncompressedSize, compressedSize, values } = header;
  if (type === undefined || uncompressedSize === undefined || compressedSize === undefined) {
    throw new Error('the page header lacks its type or sizes');
  }
  if (type !== PAGE_TYPES.index && values === undefined) throw new Error('the page header lacks its value count');
  return {
    type,
    uncompressedSize,
    compressedSize,
    values: values ?? 0,
    encoding: header.encoding,
    dataStart: reader.at,
  };
}
