import { parquetMetadata } from 'hyparquet';
import { readPageHeader } from '../../lambda/validation/worker/page-header';

/**
 * What networks, disks, half-finished uploads and buggy writers do to parquet files, as seeded mutations: blind ones
 * (bit flips, overwrites, truncation, splices, insertions, footer length) and ones aimed at the structure a reader
 * trusts (footer Thrift, page headers, dictionary page headers, a column chunk copied over another). Shared by the
 * fuzz test and `npm run fuzz`, so that a mutant either finds can be replayed by the other from its seed.
 */

/** A seeded source of numbers (mulberry32): the same seed gives the same mutants on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

/** Byte ranges of a file's structure: the footer's Thrift, each page header, each column chunk. */
interface Structure {
  readonly footer: { readonly start: number; readonly end: number };
  readonly pageHeaders: readonly { readonly start: number; readonly end: number; readonly dictionary: boolean }[];
  readonly chunks: readonly { readonly start: number; readonly end: number }[];
}

const structures = new WeakMap<Uint8Array, Structure>();

function structureOf(bytes: Uint8Array): Structure {
  const known = structures.get(bytes);
  if (known) return known;
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  const footer = { start: bytes.length - 8 - footerLength, end: bytes.length - 8 };
  const metadata = parquetMetadata(bytes.slice().buffer);
  const chunks: { start: number; end: number }[] = [];
  const pageHeaders: { start: number; end: number; dictionary: boolean }[] = [];
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data!;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      chunks.push({ start, end });
      for (let at = start; at < end;) {
        const header = readPageHeader(bytes.subarray(0, end), at);
        pageHeaders.push({ start: at, end: header.dataStart, dictionary: header.type === 2 });
        at = header.dataStart + header.compressedSize;
      }
    }
  }
  const structure = { footer, pageHeaders, chunks };
  structures.set(bytes, structure);
  return structure;
}

export const MUTATION_KINDS = [
  'flip',
  'flipFooter',
  'truncate',
  'splice',
  'insert',
  'fill',
  'footerLength',
  'pageHeader',
  'dictionaryHeader',
  'chunkCopy',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutant {
  readonly kind: MutationKind;
  readonly bytes: Uint8Array;
}

/** Overwrites one to three bytes inside `range` with values a Thrift reader finds meaningful. */
function damageRange(out: Uint8Array, random: Random, range: { start: number; end: number }): void {
  const special = [0x00, 0x7f, 0x80, 0xff, 0x15, 0x16, 0x19, 0x1c];
  for (let n = 1 + random.below(3); n > 0; n--) {
    const at = range.start + random.below(Math.max(1, range.end - range.start));
    out[at] = random.next() < 0.5 ? random.pick(special) : out[at] ^ (1 << random.below(8));
  }
}

/** One mutant of `original`, the mutation drawn from `random`. */
export function mutate(original: Uint8Array, random: Random): Mutant {
  const size = original.length;
  const kind = random.pick(MUTATION_KINDS);
  const out = original.slice();
  const structure = structureOf(original);
  switch (kind) {
    case 'flip':
      for (let n = 1 + random.below(8); n > 0; n--) out[random.below(size)] ^= 1 + random.below(255);
      return { kind, bytes: out };
    case 'flipFooter':
      damageRange(out, random, structure.footer);
      return { kind, bytes: out };
    case 'truncate':
      return { kind, bytes: original.slice(0, random.below(size)) };
    case 'splice': {
      const from = random.below(size);
      out.copyWithin(random.below(size), from, Math.min(size, from + 1 + random.below(512)));
      return { kind, bytes: out };
    }
    case 'insert': {
      const at = random.below(size + 1);
      const inserted = Uint8Array.from({ length: 1 + random.below(64) }, () => random.below(256));
      const grown = new Uint8Array(size + inserted.length);
      grown.set(original.subarray(0, at), 0);
      grown.set(inserted, at);
      grown.set(original.subarray(at), at + inserted.length);
      return { kind, bytes: grown };
    }
    case 'fill': {
      const at = random.below(size);
      out.fill(random.below(256), at, Math.min(size, at + 1 + random.below(256)));
      return { kind, bytes: out };
    }
    case 'footerLength': {
      const footer = structure.footer.end - structure.footer.start;
      const value = random.pick([random.below(2 ** 32), footer + 1 + random.below(16), footer - 1 - random.below(16)]);
      new DataView(out.buffer).setUint32(size - 8, value >>> 0, true);
      return { kind, bytes: out };
    }
    case 'pageHeader':
      damageRange(out, random, random.pick(structure.pageHeaders));
      return { kind, bytes: out };
    case 'dictionaryHeader': {
      const dictionaries = structure.pageHeaders.filter((header) => header.dictionary);
      damageRange(out, random, random.pick(dictionaries.length ? dictionaries : structure.pageHeaders));
      return { kind, bytes: out };
    }
    case 'chunkCopy': {
      const from = random.pick(structure.chunks);
      const to = random.pick(structure.chunks);
      out.copyWithin(to.start, from.start, Math.min(from.end, from.start + (to.end - to.start)));
      return { kind, bytes: out };
    }
  }
}
