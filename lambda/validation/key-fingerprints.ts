import type { ColumnValues } from './row-rules';

/**
 * Two independent 32-bit hashes of a row's key, written into `out` at `at` and `at + 1`, computed over the values'
 * characters without building a key string per row.
 */
export function hashKey(columns: readonly ColumnValues[], row: number, out: Uint32Array, at: number): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const column of columns) {
    const value = column[row];
    const text = typeof value === 'string' ? value : String(value);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
    // A separator, so ("ab","c") and ("a","bc") differ.
    h1 = Math.imul(h1 ^ 0x1f, 2654435761);
    h2 = Math.imul(h2 ^ 0x1f, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[at] = h1 >>> 0;
  out[at + 1] = h2 >>> 0 || 1;
}

/**
 * A set of keys as 32-bit fingerprints in one Uint32Array, sized once from the file's row count to hold them at
 * three quarters full: the slot comes from one hash and the fingerprint from the other, so two keys collide only when
 * 55 bits or more agree (a spurious duplicate warning about once in 1,400 files of 10M rows). The table has exactly
 * the slots it needs, not the next power of two: 10M rows take 53 MB instead of 64 MB. Past `MAX_SLOTS`, the check
 * says how far it got rather than grow without bound.
 */
export class FingerprintSet {
  static readonly MAX_SLOTS = 1 << 24;
  private readonly table: Uint32Array;
  private readonly slots: number;
  private readonly capacity: number;
  private size = 0;

  constructor(expected: number) {
    this.slots = Math.min(FingerprintSet.MAX_SLOTS, Math.max(1 << 10, Math.ceil((expected * 4) / 3)));
    this.table = new Uint32Array(this.slots);
    this.capacity = Math.floor((this.slots * 3) / 4);
  }

  /** Adds a key; true if it was already there, undefined when the set is full. */
  add(slotHash: number, fingerprint: number): boolean | undefined {
    // The hash scaled onto [0, slots) (the product stays below slots × 2^32 in a double): any table size works.
    let slot = Math.floor(((slotHash >>> 0) * this.slots) / 2 ** 32);
    while (this.table[slot] !== 0) {
      if (this.table[slot] === fingerprint) return true;
      slot = slot + 1 === this.slots ? 0 : slot + 1;
    }
    if (this.size >= this.capacity) return undefined;
    this.table[slot] = fingerprint;
    this.size += 1;
    return false;
  }
}
