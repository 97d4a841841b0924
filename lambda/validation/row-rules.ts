import { statsigDayEndMs, statsigDayStartMs } from './calendar';
import type { ParquetKind, RowRule } from './contracts';
import { findingOf, type RawFinding } from './findings';
import { FingerprintSet, hashKey } from './key-fingerprints';
import type { ResolvedOptions } from './options';
import { showValue } from './text';

export type ColumnValues = ArrayLike<unknown>;

/** A row group's decoded columns, aligned by row; `rowOffset` is the group's first row in the file. */
export interface GroupColumns {
  readonly rowOffset: number;
  readonly rows: number;
  readonly columns: ReadonlyMap<string, ColumnValues>;
}

/** What a row rule may need to know beside the values: the options, and the kind each column was written as. */
export interface RowRuleContext {
  readonly options: ResolvedOptions;
  readonly kinds: ReadonlyMap<string, ParquetKind>;
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
  | { readonly check: 'statsigDay'; readonly outside: number; readonly first: number }
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
  readonly group: (rule: RuleOf<K>, group: GroupColumns, emit: Emit, context: RowRuleContext) => PartialOf<K>;
  /** Absent when the rule is complete within each row group. */
  readonly file?: (rule: RuleOf<K>, emit: Emit, rows: number, options: ResolvedOptions) => FilePart<PartialOf<K>>;
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

const STATSIG_DAY: RowRuleImpl<'statsigDay'> = {
  columns: (rule) => [rule.column],
  group: (rule, group, _emit, { options, kinds }) => {
    const partial = { check: 'statsigDay' as const, outside: 0, first: -1 };
    if (options.day === undefined) return partial;
    const [start, end] = [statsigDayStartMs(options.day), statsigDayEndMs(options.day)];
    // A TIMESTAMP column decodes to epoch milliseconds; an integer one is in the configured unit.
    const msPer = kinds.get(rule.column) === 'timestamp' || options.timestampUnit === 'milliseconds' ? 1 : 1000;
    const times = group.columns.get(rule.column)!;
    for (let i = 0; i < group.rows; i++) {
      if (!present(times[i])) continue;
      const ms = Number(times[i]) * msPer;
      if (ms >= start && ms < end) continue;
      if (partial.outside++ === 0) partial.first = group.rowOffset + i;
    }
    return partial;
  },
  file: (rule, emit, _rows, options) => {
    let outside = 0;
    let first = -1;
    return {
      add: (partial) => {
        if (outside === 0) first = partial.first;
        outside += partial.outside;
      },
      finish: () => {
        if (outside === 0 || options.day === undefined) return;
        const window = `${new Date(statsigDayStartMs(options.day)).toISOString()} to ${new Date(statsigDayEndMs(options.day)).toISOString()}`;
        emit(
          findingOf(rule, {
            column: rule.column,
            row: first,
            problem: `${outside} row${outside === 1 ? '' : 's'} (the first at row index ${first}) fall outside the folder's day ${options.day} in Statsig's time zone, ${window}`,
          }),
        );
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
  group(group: GroupColumns, emit: Emit, context: RowRuleContext): RowRulePartial;
  /** The file-wide half, or undefined when the rule is complete within each row group. */
  file(emit: Emit, rows: number, options: ResolvedOptions): FileFold | undefined;
}

/** The one place a rule's check picks its implementation. */
export function bindRowRule(rule: RowRule): BoundRowRule {
  switch (rule.check) {
    case 'valueOrRatio':
      return bind(rule, VALUE_OR_RATIO);
    case 'ratioMixing':
      return bind(rule, RATIO_MIXING);
    case 'statsigDay':
      return bind(rule, STATSIG_DAY);
    case 'uniqueKey':
      return bind(rule, UNIQUE_KEY);
  }
}

function bind<K extends Check>(rule: RuleOf<K>, impl: RowRuleImpl<K>): BoundRowRule {
  const ours = (partial: RowRulePartial): partial is PartialOf<K> => partial.check === rule.check;
  return {
    columns: impl.columns(rule),
    group: (group, emit, context) => impl.group(rule, group, emit, context),
    file: (emit, rows, options) => {
      const part = impl.file?.(rule, emit, rows, options);
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
