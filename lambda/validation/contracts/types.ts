import type { Dataset } from '../../wire/datasets';
import type { ParquetKind } from '../parquet-kind';
import type { Severity } from '../report';

/**
 * A dataset contract is plain data: the schema check and the value checks both read it, so a column rule is added
 * by editing a contract, never a loop.
 */
export interface DatasetContract {
  readonly dataset: Dataset;
  readonly columns: readonly ColumnContract[];
  /** What a column the contract does not name gets: Statsig ignores extras in events and metrics. */
  readonly otherColumns: { readonly severity: Severity; readonly hint: string };
  /** Rules across the columns of a row, or across the rows of the file. */
  readonly rowRules: readonly RowRule[];
}

export interface ColumnContract {
  readonly name: string;
  /** `recommended`: the file is valid without it, but gets a warning. */
  readonly presence: 'required' | 'optional' | 'recommended';
  /** The hint when the column is missing. */
  readonly missingHint: string;
  readonly nullable: boolean;
  readonly types: readonly ParquetKind[];
  /** Readable list of accepted types for messages. */
  readonly typeText: string;
  /** The hint when the type is wrong. */
  readonly typeHint: string;
  /** A more specific hint when the column is written as a struct, list or map. */
  readonly nestedHint?: string;
  readonly values: readonly ValueRule[];
}

interface RuleBase {
  /** Stable rule id. */
  readonly rule: string;
  readonly severity: Severity;
  readonly hint: string;
}

/** Per-value rules; each `check` names a function in `value-rules.ts`. */
export type ValueRule =
  | (RuleBase & { readonly check: 'length'; readonly min: number; readonly max: number })
  | (RuleBase & { readonly check: 'noSpace' })
  | (RuleBase & { readonly check: 'notEmpty' })
  | (RuleBase & { readonly check: 'epochTime'; readonly earliest: string; readonly futureDays: number })
  | (RuleBase & { readonly check: 'statsigUser' })
  | (RuleBase & { readonly check: 'jsonObject'; readonly valuesRule: string; readonly valuesHint: string })
  | (RuleBase & { readonly check: 'uuid' })
  | (RuleBase & { readonly check: 'idType' })
  | (RuleBase & { readonly check: 'calendarDate' })
  | (RuleBase & { readonly check: 'folderDay' })
  | (RuleBase & { readonly check: 'dayEnded' })
  | (RuleBase & { readonly check: 'finite' });

/** Rules over several columns; each `check` names a function in `row-rules.ts`. */
export type RowRule =
  | (RuleBase & {
      readonly check: 'valueOrRatio';
      readonly value: string;
      readonly numerator: string;
      readonly denominator: string;
    })
  | (RuleBase & {
      readonly check: 'ratioMixing';
      readonly metric: string;
      readonly numerator: string;
      readonly denominator: string;
    })
  | (RuleBase & { readonly check: 'uniqueKey'; readonly columns: readonly string[] });
