import { CONTRACTS } from './contracts';
import type { ColumnContract } from './contracts/types';
import type { Dataset } from './dataset';
import { FindingSink } from './findings';
import type { ResolvedOptions } from './options';
import type { ParquetKind } from './parquet-kind';
import { GroupColumns, runRowRuleOnGroup } from './row-rules';
import { showValue } from './text';
import { InvalidUtf8 } from './utf8';
import { Problem, ValueCheck, valueCheck } from './value-rules';

/** What the main thread tells a worker to check in each row group of a file. */
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

interface ColumnChecker {
  readonly contract: ColumnContract;
  readonly checks: readonly ValueCheck[];
}

function columnChecker(plan: GroupCheckPlan, name: string, kind: ParquetKind): ColumnChecker {
  const contract = CONTRACTS[plan.dataset].columns.find((column) => column.name === name)!;
  return { contract, checks: contract.values.map((rule) => valueCheck(rule, { options: plan.options, kind })) };
}

function checkColumn(checker: ColumnChecker, values: ArrayLike<unknown>, rowOffset: number, sink: FindingSink): void {
  const { contract, checks } = checker;
  const memo = new Map<unknown, (Problem | undefined)[] | null>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      if (!contract.nullable) {
        sink.add({
          rule: 'value.null',
          severity: 'error',
          column: contract.name,
          row: rowOffset + i,
          problem: `${contract.name} is null`,
          hint: `write a value in every row: Statsig requires ${contract.name}`,
        });
      }
      continue;
    }
    if (value instanceof InvalidUtf8) {
      sink.add({
        rule: 'parquet.invalid-utf8',
        severity: 'error',
        column: contract.name,
        row: rowOffset + i,
        value: showValue(value.text),
        problem: `${contract.name} holds bytes that are not valid UTF-8`,
        hint: 'encode the text as UTF-8 before writing the file',
      });
      continue;
    }
    const memoizable = typeof value === 'string' || typeof value === 'number';
    let problems = memoizable ? memo.get(value) : undefined;
    if (problems === undefined) {
      const found = checks.map((check) => check(value));
      problems = found.some(Boolean) ? found : null;
      if (memoizable) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(value, problems);
      }
    }
    if (problems === null) continue;
    problems.forEach((problem, index) => {
      if (!problem) return;
      const rule = contract.values[index];
      sink.add({
        rule: problem.rule ?? rule.rule,
        severity: problem.severity ?? rule.severity,
        column: contract.name,
        row: rowOffset + i,
        value: showValue(value),
        problem: `${contract.name} ${problem.problem}`,
        hint: problem.hint ?? rule.hint,
      });
    });
  }
}

/**
 * Checks one row group: every value rule of every readable column, then the row rules. Returns each row rule's
 * partial result (for rules that span the file), indexed like `plan.rowRules`.
 */
export function checkGroup(plan: GroupCheckPlan, group: GroupColumns, sink: FindingSink): unknown[] {
  for (const { name, kind } of plan.columns) {
    const values = group.columns.get(name);
    if (values) checkColumn(columnChecker(plan, name, kind), values, group.rowOffset, sink);
  }
  const rowRules = CONTRACTS[plan.dataset].rowRules;
  return plan.rowRules.map((index) => runRowRuleOnGroup(rowRules[index], group, (finding) => sink.add(finding)));
}
