import type { DatasetContract } from './types';

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
      typeText: 'INT64 or INT32 epoch time, or TIMESTAMP',
      typeHint: 'cast it to BIGINT epoch seconds (epoch(ts)) or write a TIMESTAMP',
      values: [
        {
          check: 'epochTime',
          rule: 'events.timestamp.range',
          severity: 'error',
          earliest: '2000-01-01',
          futureDays: 1,
          hint: "write the event time as epoch seconds (or set the construct's timestampUnit to match your data)",
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
          rule: 'events.event_name.length',
          severity: 'error',
          min: 1,
          max: 127,
          hint: 'use an event name of 1 to 127 characters',
        },
        {
          check: 'noSpace',
          rule: 'events.event_name.space',
          severity: 'warning',
          hint: 'Statsig asks for _ instead of spaces in event names',
        },
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
          rule: 'events.user.invalid',
          severity: 'error',
          hint: 'write a JSON object with a non-empty "userID" string or a "customIDs" object, e.g. {"userID":"u1"}',
        },
      ],
    },
    {
      name: 'event_value',
      presence: 'optional',
      missingHint: '',
      nullable: true,
      types: ['string'],
      typeText: 'string',
      typeHint: STRING_TYPE_HINT,
      values: [
        {
          check: 'length',
          rule: 'events.event_value.length',
          severity: 'warning',
          min: 0,
          max: 127,
          hint: 'keep event_value to 127 characters; put longer data in event_metadata',
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
          rule: 'events.event_metadata.json',
          severity: 'error',
          hint: 'write a JSON object of string values, e.g. {"plan":"pro"}',
          valuesRule: 'events.event_metadata.value-type',
          valuesHint: 'Statsig reads metadata values as strings: write "3" rather than 3',
        },
      ],
    },
    {
      name: 'timeuuid',
      presence: 'recommended',
      missingHint: 'add a timeuuid column (a UUID per event, e.g. uuid()) so Statsig can de-duplicate events',
      nullable: true,
      types: ['string', 'uuid'],
      typeText: 'string UUID',
      typeHint: 'write it as a UUID string',
      values: [
        {
          check: 'uuid',
          rule: 'events.timeuuid.invalid',
          severity: 'error',
          hint: 'write a UUID such as 123e4567-e89b-12d3-a456-426614174000',
        },
      ],
    },
  ],
  rowRules: [],
};
