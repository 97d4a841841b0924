import type { RowRule } from './contracts';
import { findingOf, type RawFinding } from './findings';
import { FingerprintSet, hashKey } from './key-fingerprints';
import { showValue } from './text';

export type ColumnValues = ArrayLike<unknown>;

/** A row group's decoded columns, aligned by row; `rowOffset` is the group's first row in the file. */
export interface GroupColumns {
  readonly rowOffset: number;
  readonly rows: number;
  readonly columns: ReadonlyMap<string, ColumnValues>;
}

type Check = RowRule['check'];
type RuleOf<K extends Check> = Extract<RowRule, { readonly check: K }>;
type Emit = (finding: RawFinding) => void;

interface RatioCounts {
  ratioRows: number;
  noDenominatorRows: number;
  firstNoDenominatorRow: number;
}

/**
 * What a row rule's group part hands its file part: plain data that crosses from a decoder process to the
 * validating one, tagged with its rule's check.
 */
export type RowRulePartial =
  | { readonly check: 'valueOrRatio' }
  | { readonly check: 'ratioMixing'; readonly counts: Readonly<Record<string, RatioCounts>> }
  /** Two 32-bit hashes per row of the key columns, in row order. */
  | { readonly check: 'uniqueKey'; readonly hashes: Uint32Array };

type PartialOf<K extends Check> = Extract<RowRulePartial, { readonly check: K }>;

/** The part that folds the groups' partials together, in row order, in the validating process. */
interface FilePart<P> {
  add(partial: P, rowOffset: number): void;
  finish(): void;
}

export type FileFold = FilePart<RowRulePartial>;

interface RowRuleImpl<K extends Check> {
  readonly columns: (rule: RuleOf<K>) => readonly string[];
  /** Runs in a decoder over one row group or slice. */
  readonly group: (rule: RuleOf<K>, group: GroupColumns, emit: Emit) => PartialOf<K>;
  /** Absent when the rule is complete within each row group. */
  readonly file?: (rule: RuleOf<K>, emit: Emit, rows: number) => FilePart<PartialOf<K>>;
}

const present = (value: unknown) => value !== null && value !== undefined;

const VALUE_OR_RATIO: RowRuleImpl<'valueOrRatio'> = {
  columns: (rule) => [rule.value, rule.numerator, rule.denominator],
  group: (rule, group, emit) => {
    const value = group.columns.get(rule.value)!;
    const numerator = group.columns.get(rule.numerator)!;
    const denominator = group.columns.get(rule.denominator)!;
    for (let i = 0; i < group.rows; i++) {
      if (present(value[i]) || (present(numerator[i]) && present(denominator[i]))) continue;
      const has = present(numerator[i]) ? rule.numerator : present(denominator[i]) ? rule.denominator : undefined;
      emit(
        findingOf(rule, {
          column: rule.value,
          row: group.rowOffset + i,
          problem: has
            ? `${rule.value} is null and only ${has} is set, so Statsig cannot compute the metric`
            : `${rule.value}, ${rule.numerator} and ${rule.denominator} are all null`,
        }),
      );
    }
    return { check: 'valueOrRatio' };
  },
};

const RATIO_MIXING: RowRuleImpl<'ratioMixing'> = {
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
    return { check: 'ratioMixing', counts };
  },
  file: (rule, emit) => {
    const totals = new Map<string, RatioCounts>();
    return {
      add: ({ counts: group }) => {
        for (const [name, counts] of Object.entries(group)) {
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
          emit(
            findingOf(rule, {
              column: rule.denominator,
              row: counts.firstNoDenominatorRow,
              value: showValue(name),
              problem: `metric '${name}' has ${counts.ratioRows} rows with ${rule.numerator} and ${rule.denominator}, so Statsig treats it as a ratio and will drop its ${counts.noDenominatorRows} rows without ${rule.denominator}`,
            }),
          );
        }
      },
    };
  },
};

const UNIQUE_KEY: RowRuleImpl<'uniqueKey'> = {
  columns: (rule) => rule.columns,
  group: (rule, group) => {
    const columns = rule.columns.map((name) => group.columns.get(name)!);
    const hashes = new Uint32Array(group.rows * 2);
    for (let i = 0; i < group.rows; i++) hashKey(columns, i, hashes, i * 2);
    return { check: 'uniqueKey', hashes };
  },
  file: (rule, emit, rows) => {
    const seen = new FingerprintSet(rows);
    let coveredRows: number | undefined;
    return {
      add: ({ hashes }, rowOffset) => {
        if (coveredRows !== undefined) return;
        for (let i = 0; i < hashes.length / 2; i++) {
          const duplicate = seen.add(hashes[i * 2], hashes[i * 2 + 1]);
          if (duplicate === undefined) {
            coveredRows = rowOffset + i;
            return;
          }
          if (duplicate) {
            emit(
              findingOf(rule, {
                column: rule.columns.join(', '),
                row: rowOffset + i,
                problem: `the row repeats the ${rule.columns.join(', ')} of an earlier row; Statsig expects one row per unit per day per metric`,
              }),
            );
          }
        }
      },
      finish: () => {
        if (coveredRows === undefined) return;
        emit(
          findingOf(rule.partial, {
            problem: `the duplicate check covered the first ${coveredRows} rows only; the file has more distinct keys than it tracks`,
          }),
        );
      },
    };
  },
};

/** A row rule joined to its implementation. */
export interface BoundRowRule {
  readonly columns: readonly string[];
  group(group: GroupColumns, emit: Emit): RowRulePartial;
  /** The file-wide half, or undefined when the rule is complete within each row group. */
  file(emit: Emit, rows: number): FileFold | undefined;
}

/** The one place a rule's check picks its implementation. */
export function bindRowRule(rule: RowRule): BoundRowRule {
  switch (rule.check) {
    case 'valueOrRatio':
      return bind(rule, VALUE_OR_RATIO);
    case 'ratioMixing':
      return bind(rule, RATIO_MIXING);
    case 'uniqueKey':
      return bind(rule, UNIQUE_KEY);
  }
}

function bind<K extends Check>(rule: RuleOf<K>, impl: RowRuleImpl<K>): BoundRowRule {
  const ours = (partial: RowRulePartial): partial is PartialOf<K> => partial.check === rule.check;
  return {
    columns: impl.columns(rule),
    group: (group, emit) => impl.group(rule, group, emit),
    file: (emit, rows) => {
      const part = impl.file?.(rule, emit, rows);
      if (!part) return undefined;
      return {
        add: (partial, rowOffset) => {
          // Partials are folded by the position of their rule in the plan, so another rule's is a bug, not data.
          if (!ours(partial)) throw new Error(`a ${partial.check} partial reached the ${rule.check} rule ${rule.id}`);
          part.add(partial, rowOffset);
        },
        finish: () => part.finish(),
      };
    },
  };
}
