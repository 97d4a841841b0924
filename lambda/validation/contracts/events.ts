import { EVENTS_RULES } from './rules';
import type { DatasetContract } from './types';

/** The keys Statsig reads from an event's `user` object, and what each holds; anything else is kept but unused. */
export const STATSIG_USER_KEY_TYPES = {
  userID: 'id',
  customIDs: 'ids',
  email: 'text',
  ip: 'text',
  userAgent: 'text',
  country: 'text',
  locale: 'text',
  appVersion: 'text',
  systemName: 'text',
  systemVersion: 'text',
  browserName: 'text',
  browserVersion: 'text',
  custom: 'object',
  privateAttributes: 'object',
} as const;

const STRING_TYPE_HINT = 'write it as a string (VARCHAR / UTF8 BYTE_ARRAY)';

/** Statsig's events dataset (spec §2). */
export const EVENTS_CONTRACT: DatasetContract = {
  dataset: 'events',
  otherColumns: {
    severity: 'warning',
    hint: 'Statsig ignores this column: drop it, or move the data into event_metadata',
  },
  columns: [
    {
      name: 'timestamp',
      presence: 'required',
      missingHint: 'add a timestamp column: epoch seconds as BIGINT, or a TIMESTAMP',
      nullable: false,
      types: ['int64', 'int32', 'timestamp'],
      typeText: 'INT64 or INT32 epoch time, or TIMESTAMP in MILLIS or MICROS',
      typeHint: 'cast it to BIGINT epoch seconds (epoch(ts)) or write a TIMESTAMP',
      typeHints: {
        timestamp_nanos:
          "cast to microseconds: coerce_timestamps='us' in pyarrow, cast(ts as timestamp) in SQL (Spark 3.2+ cannot read nanoseconds)",
      },
      values: [
        {
          check: 'epochTime',
          ...EVENTS_RULES.timestampRange,
          earliest: '2000-01-01',
          futureDays: 1,
        },
      ],
    },
    {
      name: 'event_name',
      presence: 'required',
      missingHint: 'add an event_name string column',
      nullable: false,
      types: ['string'],
      typeText: 'string',
      typeHint: STRING_TYPE_HINT,
      values: [
        {
          check: 'length',
          ...EVENTS_RULES.eventNameLength,
          min: 1,
          max: 127,
        },
        { check: 'noSpace', ...EVENTS_RULES.eventNameSpace },
      ],
    },
    {
      name: 'user',
      presence: 'required',
      missingHint: 'add a user column holding a JSON object string such as {"userID":"u1"}',
      nullable: false,
      types: ['string'],
      typeText: 'string holding a JSON object',
      typeHint: 'write the user as a JSON string, e.g. to_json(user) in SQL',
      nestedHint:
        'the user must be a JSON string, not a struct: write to_json(user) (DuckDB, Spark) instead of the struct',
      values: [
        {
          check: 'statsigUser',
          ...EVENTS_RULES.userInvalid,
          rules: {
            keyCase: EVENTS_RULES.userKeyCase,
            idMissing: EVENTS_RULES.userIdMissing,
            idEmpty: EVENTS_RULES.userIdEmpty,
            idType: EVENTS_RULES.userIdType,
            customIdsType: EVENTS_RULES.userCustomIdsType,
            idNumber: EVENTS_RULES.userIdNumber,
            stableIdOnly: EVENTS_RULES.userStableIdOnly,
            stableIdTopLevel: EVENTS_RULES.userStableIdTopLevel,
            keyType: EVENTS_RULES.userKeyType,
            keys: STATSIG_USER_KEY_TYPES,
            stableIdKey: 'stableID',
            // Keyed by the spelling folded to lower case without _ and -, as a near miss is matched.
            aliases: { stableid: '"customIDs": {"stableID": …}' },
          },
        },
      ],
    },
    {
      name: 'event_value',
      presence: 'optional',
      missingHint: '',
      nullable: true,
      types: ['string', 'int32', 'int64', 'float', 'double', 'decimal'],
      typeText: 'string or a number (INT32, INT64, FLOAT, DOUBLE, DECIMAL)',
      typeHint: 'write it as a string, or as a number: Statsig converts numbers',
      values: [
        {
          check: 'length',
          ...EVENTS_RULES.eventValueLength,
          min: 0,
          max: 127,
        },
      ],
    },
    {
      name: 'event_metadata',
      presence: 'optional',
      missingHint: '',
      nullable: true,
      types: ['string'],
      typeText: 'string holding a JSON object',
      typeHint: 'write the metadata as a JSON string, e.g. to_json(metadata)',
      nestedHint: 'event_metadata must be a JSON string, not a struct or map: write to_json(metadata) instead',
      values: [
        {
          check: 'jsonObject',
          ...EVENTS_RULES.metadataJson,
          nonString: EVENTS_RULES.metadataValueType,
        },
      ],
    },
    {
      name: 'timeuuid',
      presence: 'recommended',
      missingHint:
        'add a timeuuid column (a UUID string per event, e.g. uuid()::varchar in DuckDB) so Statsig can de-duplicate events',
      nullable: true,
      types: ['string'],
      typeText: 'a string',
      typeHint: 'write it as a UUID string',
      typeHints: {
        uuid: "cast(timeuuid as varchar): Spark cannot read the parquet UUID type (DuckDB's uuid() writes it; write uuid()::varchar)",
      },
      values: [{ check: 'uuid', ...EVENTS_RULES.timeuuidInvalid }],
    },
  ],
  rowRules: [{ check: 'statsigDay', ...EVENTS_RULES.timestampOutsideDay, column: 'timestamp' }],
};
