import type { Dataset } from '../../wire/datasets';
import type { OverrideSeverity, RuleId } from '../../wire/severity-overrides';

export type Severity = OverrideSeverity;

/** One entry of the rule catalogue (`rules.ts`): what its findings are called and weigh, and how they are fixed. */
export interface RuleSpec {
  /** Stable id, e.g. `events.user.id-missing`: alerts, dashboards and tests key on it. One of the wire's RULE_IDS. */
  readonly id: RuleId;
  readonly severity: Severity;
  /** The fix a finding shows, unless the finding knows a more specific one (the column's name, a near miss). */
  readonly hint: string;
  /** One line for the reader of the catalogue: what the rule catches. */
  readonly doc: string;
}

/**
 * What a parquet column holds, as the contracts speak of it: the physical type and its annotation folded into one
 * word, so a contract can say "DOUBLE only" or "DATE or string" without knowing how each writer spells it.
 */
export type ParquetKind =
  | 'string'
  | 'binary'
  | 'int32'
  | 'int64'
  | 'timestamp'
  /** TIMESTAMP(NANOS): a kind of its own, since Spark 3.2+ cannot read it. */
  | 'timestamp_nanos'
  | 'date'
  | 'double'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'uuid'
  | 'nested'
  | 'other';

/**
 * A dataset contract is plain data: the schema check and the value checks both read it, so a column rule is added
 * by editing a contract, never a loop.
 */
export interface DatasetContract {
  readonly dataset: Dataset;
  readonly columns: readonly ColumnContract[];
  /**
   * What a column the contract does not name gets (rule `schema.unknown-column`): Statsig ignores extras in events
   * and metrics, so there it is the catalogue's warning; a dataset may raise it to an error.
   */
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
  /** A more specific hint for a wrong type some writers pick by default (the UUID type, nanoseconds). */
  readonly typeHints?: Partial<Record<ParquetKind, string>>;
  /** A more specific hint when the column is written as a struct, list or map. */
  readonly nestedHint?: string;
  readonly values: readonly ValueRule[];
}

/** Per-value rules: a catalogue entry and the parameters of its `check`, a function in `value-rules.ts`. */
export type ValueRule =
  | (RuleSpec & { readonly check: 'length'; readonly min: number; readonly max: number })
  | (RuleSpec & { readonly check: 'noSpace' })
  | (RuleSpec & { readonly check: 'notEmpty' })
  | (RuleSpec & { readonly check: 'epochTime'; readonly earliest: string; readonly futureDays: number })
  | (RuleSpec & { readonly check: 'statsigUser'; readonly rules: StatsigUserRules })
  | (RuleSpec & {
      readonly check: 'jsonObject';
      /** A value of the object that is not a string. */
      readonly nonString: RuleSpec;
    })
  | (RuleSpec & { readonly check: 'uuid' })
  | (RuleSpec & { readonly check: 'idType' })
  | (RuleSpec & { readonly check: 'calendarDate' })
  | (RuleSpec & { readonly check: 'folderDay' })
  | (RuleSpec & { readonly check: 'dayEnded' })
  | (RuleSpec & { readonly check: 'finite' });

/** The sub-rules of a `user` object (spec §2): each problem has its own id, so a malformed ID is never "missing". */
export interface StatsigUserRules {
  /** A key Statsig does not read that looks like one it does (`userId`). */
  readonly keyCase: RuleSpec;
  /** No ID at all. */
  readonly idMissing: RuleSpec;
  /** IDs that are all empty strings. */
  readonly idEmpty: RuleSpec;
  /** An ID that is neither a string nor a number. */
  readonly idType: RuleSpec;
  readonly customIdsType: RuleSpec;
  /** A number as an ID: read as text. */
  readonly idNumber: RuleSpec;
  /** A top-level `stableID` as the only ID. */
  readonly stableIdOnly: RuleSpec;
  /** A top-level `stableID` beside another ID. */
  readonly stableIdTopLevel: RuleSpec;
  /** A known key of the wrong type. */
  readonly keyType: RuleSpec;
  /** What each known key holds: an ID, an object of IDs, text, or an object. */
  readonly keys: Readonly<Record<string, 'id' | 'ids' | 'text' | 'object'>>;
  /** The top-level key Statsig does not read as an ID, though people write it there. */
  readonly stableIdKey: string;
  /** Keys people write that Statsig does not read, folded, with what they meant (`stableId`). */
  readonly aliases: Readonly<Record<string, string>>;
}

/** Rules over several columns: a catalogue entry and the parameters of its `check`, a function in `row-rules.ts`. */
export type RowRule =
  | (RuleSpec & {
      readonly check: 'valueOrRatio';
      readonly value: string;
      readonly numerator: string;
      readonly denominator: string;
    })
  | (RuleSpec & {
      readonly check: 'ratioMixing';
      readonly metric: string;
      readonly numerator: string;
      readonly denominator: string;
    })
  | (RuleSpec & {
      readonly check: 'statsigDay';
      /** The time column; its instants are compared with the folder's day in UTC−8. */
      readonly column: string;
    })
  | (RuleSpec & {
      readonly check: 'uniqueKey';
      readonly columns: readonly string[];
      /** The file has more distinct keys than the check tracks: it says how far it got. */
      readonly partial: RuleSpec;
    });
