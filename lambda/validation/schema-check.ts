import { CONTRACTS, type ParquetKind, SCHEMA_RULES } from './contracts';
import type { Dataset } from '../wire/datasets';
import { findingOf, type RawFinding } from './findings';
import type { ColumnDescriptor } from './parquet-kind';
import { bindRowRule } from './row-rules';

export interface SchemaVerdict {
  readonly findings: RawFinding[];
  /** The contract columns present with an accepted type: the value checks read these. */
  readonly readable: { readonly name: string; readonly kind: ParquetKind }[];
  readonly rowRules: number[];
}

/** Compares a file's top-level columns with its dataset's contract (names, case, types, nesting, extras). */
export function checkSchema(dataset: Dataset, columns: readonly ColumnDescriptor[]): SchemaVerdict {
  const contract = CONTRACTS[dataset];
  const findings: RawFinding[] = [];
  const readable: SchemaVerdict['readable'] = [];
  const claimed = new Set<string>();

  for (const expected of contract.columns) {
    const exact = columns.find((column) => column.name === expected.name);
    if (!exact) {
      const miscased = columns.find((column) => column.name.toLowerCase() === expected.name.toLowerCase());
      if (miscased) {
        claimed.add(miscased.name);
        findings.push(
          findingOf(SCHEMA_RULES.columnCase, {
            column: miscased.name,
            problem: `the column '${miscased.name}' should be named '${expected.name}': Statsig's column names are case-sensitive`,
            hint: `rename the column to ${expected.name}`,
          }),
        );
      } else if (expected.presence !== 'optional') {
        const required = expected.presence === 'required';
        findings.push(
          findingOf(required ? SCHEMA_RULES.missingColumn : SCHEMA_RULES.recommendedColumn, {
            column: expected.name,
            problem: `the file has no '${expected.name}' column${required ? '' : ' (recommended)'}`,
            hint: expected.missingHint,
          }),
        );
      }
      continue;
    }
    claimed.add(exact.name);
    if (exact.kind === 'nested') {
      findings.push(
        findingOf(SCHEMA_RULES.nestedColumn, {
          column: exact.name,
          problem: `'${exact.name}' is a nested ${exact.declared} column; Statsig needs a flat ${expected.typeText}`,
          hint: expected.nestedHint ?? expected.typeHint,
        }),
      );
    } else if (!expected.types.includes(exact.kind)) {
      findings.push(
        findingOf(SCHEMA_RULES.wrongType, {
          column: exact.name,
          problem: `'${exact.name}' is ${exact.declared}; Statsig needs ${expected.typeText}`,
          hint: expected.typeHints?.[exact.kind] ?? expected.typeHint,
        }),
      );
    } else {
      readable.push({ name: exact.name, kind: exact.kind });
    }
  }

  for (const column of columns) {
    if (claimed.has(column.name)) continue;
    findings.push({
      ...findingOf(SCHEMA_RULES.unknownColumn, {
        column: column.name,
        problem: `'${column.name}' is not a column of Statsig's ${dataset} dataset`,
        hint: contract.otherColumns.hint,
      }),
      severity: contract.otherColumns.severity,
    });
  }

  const names = new Set(readable.map((column) => column.name));
  const rowRules = contract.rowRules.flatMap((rule, index) =>
    bindRowRule(rule).columns.every((name) => names.has(name)) ? [index] : [],
  );
  return { findings, readable, rowRules };
}
