import { dayFromNumber } from './calendar';
import { type ColumnContract, CONTRACTS, FILE_RULES, type ParquetKind, SCHEMA_RULES } from './contracts';
import type { Dataset } from '../wire/datasets';
import { findingOf, type FindingSink } from './findings';
import type { ResolvedOptions } from './options';
import { bindRowRule, type GroupColumns, type RowRulePartial } from './row-rules';
import { showValue } from './text';
import { InvalidUtf8 } from './utf8';
import { MEMO_WORTHY, type ValueCheck, valueCheck } from './value-rules';

/** What the validating process tells a decoder to check in each row group of a file. */
export interface GroupCheckPlan {
  readonly dataset: Dataset;
  readonly options: ResolvedOptions;
  /** The contract columns the file has with an accepted type; only these are read. */
  readonly columns: readonly { readonly name: string; readonly kind: ParquetKind }[];
  /** Indexes into the contract's row rules whose columns are all readable. */
  readonly rowRules: readonly number[];
}

/** Distinct values remembered per column: low-cardinality columns are checked once per value. */
const MEMO_LIMIT = 50_000;
/** After this many look-ups a column that mostly misses (unique IDs, JSON per user) stops being remembered. */
const MEMO_PROBE = 10_000;

interface ColumnChecker {
  readonly contract: ColumnContract;
  readonly kind: ParquetKind;
  readonly checks: readonly ValueCheck[];
  /** Whether any rule is costly enough (JSON, dates, near-miss search) that remembering answers pays. */
  readonly memoize: boolean;
}

function columnChecker(plan: GroupCheckPlan, name: string, kind: ParquetKind): ColumnChecker {
  const contract = CONTRACTS[plan.dataset].columns.find((column) => column.name === name)!;
  return {
    contract,
    kind,
    checks: contract.values.map((rule) => valueCheck(rule, { options: plan.options, kind })),
    memoize: contract.values.some((rule) => MEMO_WORTHY.has(rule.check)),
  };
}

/** Dates and timestamps arrive as numbers; a report shows them as a person writes them. */
function display(value: unknown, kind: ParquetKind): string {
  if (kind === 'date' && typeof value === 'number') return dayFromNumber(value);
  if (kind === 'timestamp' && typeof value === 'number' && Math.abs(value) <= 8.64e15)
    return new Date(value).toISOString();
  return showValue(value);
}

/** Each check's answer for one value, by the check's position. */
type Answers = ReturnType<ValueCheck>[];

function checkColumn(checker: ColumnChecker, values: ArrayLike<unknown>, rowOffset: number, sink: FindingSink): void {
  const { contract, checks } = checker;
  const memo = new Map<unknown, Answers | null>();
  let memoize = checker.memoize;
  let lookups = 0;
  let hits = 0;
  const report = (problems: Answers, value: unknown, row: number) => {
    problems.forEach((answer, index) => {
      for (const problem of answer === undefined ? [] : Array.isArray(answer) ? answer : [answer]) {
        sink.add(
          findingOf(problem.rule ?? contract.values[index], {
            column: contract.name,
            row,
            value: display(value, checker.kind),
            problem: `${contract.name} ${problem.problem}`,
            hint: problem.hint,
          }),
        );
      }
    });
  };
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      if (!contract.nullable) {
        sink.add(
          findingOf(SCHEMA_RULES.nullValue, {
            column: contract.name,
            row: rowOffset + i,
            problem: `${contract.name} is null`,
            hint: `write a value in every row: Statsig requires ${contract.name}`,
          }),
        );
      }
      continue;
    }
    if (value instanceof InvalidUtf8) {
      sink.add(
        findingOf(FILE_RULES.invalidUtf8, {
          column: contract.name,
          row: rowOffset + i,
          value: showValue(value.text),
          problem: `${contract.name} holds bytes that are not valid UTF-8`,
        }),
      );
      continue;
    }
    if (memoize) {
      const remembered = memo.get(value);
      lookups += 1;
      if (remembered !== undefined) {
        hits += 1;
        if (remembered) report(remembered, value, rowOffset + i);
        continue;
      }
      if (lookups === MEMO_PROBE && hits * 2 < lookups) {
        memoize = false;
        memo.clear();
      }
    }
    let problems: Answers | null = null;
    for (let k = 0; k < checks.length; k++) {
      const problem = checks[k](value);
      if (problem) (problems ??= new Array<ReturnType<ValueCheck>>(checks.length))[k] = problem;
    }
    if (memoize) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(value, problems);
    }
    if (problems) report(problems, value, rowOffset + i);
  }
}

/** Checks one column of a row group (or slice) against the column's value rules. */
export function checkColumnValues(
  plan: GroupCheckPlan,
  column: { readonly name: string; readonly kind: ParquetKind },
  values: ArrayLike<unknown>,
  rowOffset: number,
  sink: FindingSink,
): void {
  checkColumn(columnChecker(plan, column.name, column.kind), values, rowOffset, sink);
}

/** The columns the plan's row rules read: a decoder keeps these until the row rules have run, and no others. */
export function rowRuleColumns(plan: GroupCheckPlan): ReadonlySet<string> {
  const rowRules = CONTRACTS[plan.dataset].rowRules;
  return new Set(plan.rowRules.flatMap((index) => bindRowRule(rowRules[index]).columns));
}

/**
 * Runs the row rules over a row group's columns, after its value rules. Returns each row rule's partial result (for
 * rules that span the file), indexed like `plan.rowRules`.
 */
export function checkRowRules(plan: GroupCheckPlan, group: GroupColumns, sink: FindingSink): RowRulePartial[] {
  const rowRules = CONTRACTS[plan.dataset].rowRules;
  const context = { options: plan.options, kinds: new Map(plan.columns.map(({ name, kind }) => [name, kind])) };
  return plan.rowRules.map((index) =>
    bindRowRule(rowRules[index]).group(group, (finding) => sink.add(finding), context),
  );
}
