import type { RowRule } from './contracts/types';
import type { RawFinding } from './findings';
import { showValue } from './text';

export type ColumnValues = ArrayLike<unknown>;

/** A row group's decoded columns, aligned by row; `rowOffset` is the group's first row in the file. */
export interface GroupColumns {
  readonly rowOffset: number;
  readonly rows: number;
  readonly columns: ReadonlyMap<string, ColumnValues>;
}

/** The part of a row rule that runs in a decoder over one row group or slice; its result goes back to the validator. */
type GroupPart<R extends RowRule> = (rule: R, group: GroupColumns, emit: (finding: RawFinding) => void) => unknown;

/** The part that folds the groups' results together, in row order, in the validating process. */
interface FilePart<R extends RowRule> {
  add(partial: unknown, rowOffset: number): void;
  finish(): void;
  readonly rule: R;
}

interface RowRuleImpl<R extends RowRule> {
  readonly columns: (rule: R) => readonly string[];
  readonly group: GroupPart<R>;
  readonly file?: (rule: R, emit: (finding: RawFinding) => void, rows: number) => FilePart<R>;
}

type Impls = { [K in RowRule['check']]: RowRuleImpl<Extract<RowRule, { check: K }>> };

const present = (value: unknown) => value !== null && value !== undefined;

/**
 * Two independent 32-bit hashes of a row's key, written into `out` at `at` and `at + 1`, computed over the values'
 * characters without building a key string per row.
 */
function hashKey(columns: readonly ColumnValues[], row: number, out: Uint32Array, at: number): void {
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
 * A set of keys as 32-bit fingerprints in one Uint32Array, sized once from the file's row count: the slot comes from
 * one hash and the fingerprint from the other, so two keys collide only when 56 bits or more agree (a spurious
 * duplicate warning about once in 1,400 files of 10M rows). 10M rows take 64 MB. Past `MAX_SLOTS`, the check says how
 * far it got rather than grow without bound.
 */
class FingerprintSet {
  static readonly MAX_SLOTS = 1 << 24;
  private readonly table: Uint32Array;
  private readonly mask: number;
  private readonly capacity: number;
  private size = 0;

  constructor(expected: number) {
    let slots = 1 << 10;
    while (slots < FingerprintSet.MAX_SLOTS && slots * 3 < expected * 4) slots *= 2;
    this.table = new Uint32Array(slots);
    this.mask = slots - 1;
    this.capacity = Math.floor((slots * 3) / 4);
  }

  /** Adds a key; true if it was already there, undefined when the set is full. */
  add(slotHash: number, fingerprint: number): boolean | undefined {
    let slot = slotHash & this.mask;
    while (this.table[slot] !== 0) {
      if (this.table[slot] === fingerprint) return true;
      slot = (slot + 1) & this.mask;
    }
    if (this.size >= this.capacity) return undefined;
    this.table[slot] = fingerprint;
    this.size += 1;
    return false;
  }
}

interface RatioCounts {
  ratioRows: number;
  noDenominatorRows: number;
  firstNoDenominatorRow: number;
}

const ROW_RULES: Impls = {
  valueOrRatio: {
    columns: (rule) => [rule.value, rule.numerator, rule.denominator],
    group: (rule, group, emit) => {
      const value = group.columns.get(rule.value)!;
      const numerator = group.columns.get(rule.numerator)!;
      const denominator = group.columns.get(rule.denominator)!;
      for (let i = 0; i < group.rows; i++) {
        if (present(value[i]) || (present(numerator[i]) && present(denominator[i]))) continue;
        const has = present(numerator[i]) ? rule.numerator : present(denominator[i]) ? rule.denominator : undefined;
        emit({
          rule: rule.rule,
          severity: rule.severity,
          column: rule.value,
          row: group.rowOffset + i,
          problem: has
            ? `${rule.value} is null and only ${has} is set, so Statsig cannot compute the metric`
            : `${rule.value}, ${rule.numerator} and ${rule.denominator} are all null`,
          hint: rule.hint,
        });
      }
      return undefined;
    },
  },

  ratioMixing: {
    columns: (rule) => [rule.metric, rule.numerator, rule.denominator],
    group: (rule, group) => {
      const metric = group.columns.get(rule.metric)!;
      const numerator = group.columns.get(rule.numerator)!;
      const denominator = group.columns.get(rule.denominator)!;
      const counts: Record<string, RatioCounts> = {};
      for (let i = 0; i < group.rows; i++) {
        const name = String(metric[i]);
        const entry = (counts[name] ??= { ratioRows: 0, noDenominatorRows: 0, firstNoDenominatorRow: -1 });
        if (!present(denominator[i])) {
          if (entry.noDenominatorRows++ === 0) entry.firstNoDenominatorRow = group.rowOffset + i;
        } else if (present(numerator[i])) {
          entry.ratioRows += 1;
        }
      }
      return counts;
    },
    file: (rule, emit) => {
      const totals = new Map<string, RatioCounts>();
      return {
        rule,
        add: (partial) => {
          for (const [name, counts] of Object.entries(partial as Record<string, RatioCounts>)) {
            const total = totals.get(name);
            if (!total) totals.set(name, { ...counts });
            else {
              total.ratioRows += counts.ratioRows;
              if (total.noDenominatorRows === 0) total.firstNoDenominatorRow = counts.firstNoDenominatorRow;
              total.noDenominatorRows += counts.noDenominatorRows;
            }
          }
        },
        finish: () => {
          for (const [name, counts] of totals) {
            if (counts.ratioRows === 0 || counts.noDenominatorRows === 0) continue;
            emit({
              rule: rule.rule,
              severity: rule.severity,
              column: rule.denominator,
              row: counts.firstNoDenominatorRow,
              value: showValue(name),
              problem: `metric '${name}' has ${counts.ratioRows} rows with ${rule.numerator} and ${rule.denominator}, so Statsig treats it as a ratio and will drop its ${counts.noDenominatorRows} rows without ${rule.denominator}`,
              hint: rule.hint,
            });
          }
        },
      };
    },
  },

  uniqueKey: {
    columns: (rule) => rule.columns,
    group: (rule, group) => {
      const columns = rule.columns.map((name) => group.columns.get(name)!);
      const hashes = new Uint32Array(group.rows * 2);
      for (let i = 0; i < group.rows; i++) hashKey(columns, i, hashes, i * 2);
      return hashes;
    },
    file: (rule, emit, rows) => {
      const seen = new FingerprintSet(rows);
      let coveredRows: number | undefined;
      return {
        rule,
        add: (partial, rowOffset) => {
          if (coveredRows !== undefined) return;
          const hashes = partial as Uint32Array;
          for (let i = 0; i < hashes.length / 2; i++) {
            const duplicate = seen.add(hashes[i * 2], hashes[i * 2 + 1]);
            if (duplicate === undefined) {
              coveredRows = rowOffset + i;
              return;
            }
            if (duplicate) {
              emit({
                rule: rule.rule,
                severity: rule.severity,
                column: rule.columns.join(', '),
                row: rowOffset + i,
                problem: `the row repeats the ${rule.columns.join(', ')} of an earlier row; Statsig expects one row per unit per day per metric`,
                hint: rule.hint,
              });
            }
          }
        },
        finish: () => {
          if (coveredRows === undefined) return;
          emit({
            rule: `${rule.rule}.partial`,
            severity: 'warning',
            problem: `the duplicate check covered the first ${coveredRows} rows only; the file has more distinct keys than it tracks`,
            hint: 'split the file into smaller files to have every row checked for duplicates',
          });
        },
      };
    },
  },
};

export function rowRuleColumns(rule: RowRule): readonly string[] {
  return (ROW_RULES[rule.check] as RowRuleImpl<RowRule>).columns(rule);
}

export function runRowRuleOnGroup(rule: RowRule, group: GroupColumns, emit: (finding: RawFinding) => void): unknown {
  return (ROW_RULES[rule.check] as RowRuleImpl<RowRule>).group(rule, group, emit);
}

/** The file-wide half of a row rule, or undefined when the rule is complete within each row group. */
export function fileRowRule(
  rule: RowRule,
  emit: (finding: RawFinding) => void,
  rows: number,
): FilePart<RowRule> | undefined {
  return (ROW_RULES[rule.check] as RowRuleImpl<RowRule>).file?.(rule, emit, rows);
}
