import type { ColumnContract, DatasetContract } from './types';

const STRING_TYPE_HINT = 'write it as a string (VARCHAR / UTF8 BYTE_ARRAY)';

function numberColumn(name: string): ColumnContract {
  return {
    name,
    presence: 'required',
    missingHint: `add ${name} as DOUBLE; when you do not use it, write cast(null as double) as ${name}`,
    nullable: true,
    types: ['double'],
    typeText: 'DOUBLE',
    typeHint: `write cast(${name} as double): other number types in some files break Statsig's read of the whole day`,
    values: [
      {
        check: 'finite',
        rule: 'metrics.number.non-finite',
        severity: 'error',
        hint: `write a finite number or null in ${name}`,
      },
    ],
  };
}

/** Statsig's metrics dataset (spec §3). */
export const METRICS_CONTRACT: DatasetContract = {
  dataset: 'metrics',
  otherColumns: { severity: 'warning', hint: 'Statsig ignores this column: drop it' },
  columns: [
    {
      name: 'unit_id',
      presence: 'required',
      missingHint: 'add a unit_id string column',
      nullable: false,
      types: ['string'],
      typeText: 'string',
      typeHint: `${STRING_TYPE_HINT}, in the same format as the IDs you log`,
      values: [
        {
          check: 'notEmpty',
          rule: 'metrics.unit_id.empty',
          severity: 'error',
          hint: 'write the ID of the unit the metric is for',
        },
      ],
    },
    {
      name: 'id_type',
      presence: 'required',
      missingHint: 'add an id_type string column (user_id, stable_id or a custom ID type)',
      nullable: false,
      types: ['string'],
      typeText: 'string',
      typeHint: STRING_TYPE_HINT,
      values: [
        {
          check: 'idType',
          rule: 'metrics.id_type.unknown',
          severity: 'error',
          hint: "use one of the project's ID types, spelled exactly (case-sensitive)",
        },
      ],
    },
    {
      name: 'date',
      presence: 'required',
      missingHint: 'add a date column (DATE, or a YYYY-MM-DD string) equal to the day folder',
      nullable: false,
      types: ['date', 'string'],
      typeText: 'DATE or YYYY-MM-DD string',
      typeHint: 'write it as a DATE or as a YYYY-MM-DD string',
      values: [
        {
          check: 'calendarDate',
          rule: 'metrics.date.invalid',
          severity: 'error',
          hint: 'write a real calendar date as YYYY-MM-DD',
        },
        {
          check: 'folderDay',
          rule: 'metrics.date.folder-mismatch',
          severity: 'error',
          hint: 'put the row in the day folder of its date, or fix the date',
        },
      ],
    },
    {
      name: 'metric_name',
      presence: 'required',
      missingHint: 'add a metric_name string column',
      nullable: false,
      types: ['string'],
      typeText: 'string',
      typeHint: STRING_TYPE_HINT,
      values: [
        {
          check: 'length',
          rule: 'metrics.metric_name.length',
          severity: 'error',
          min: 1,
          max: 127,
          hint: 'use a metric name of 1 to 127 characters',
        },
      ],
    },
    numberColumn('metric_value'),
    numberColumn('numerator'),
    numberColumn('denominator'),
  ],
  rowRules: [
    {
      check: 'valueOrRatio',
      rule: 'metrics.value.missing',
      severity: 'error',
      value: 'metric_value',
      numerator: 'numerator',
      denominator: 'denominator',
      hint: 'write metric_value, or both numerator and denominator',
    },
    {
      check: 'ratioMixing',
      rule: 'metrics.ratio.mixed',
      severity: 'warning',
      metric: 'metric_name',
      numerator: 'numerator',
      denominator: 'denominator',
      hint: 'give every row of a ratio metric a denominator, or split it into two metrics',
    },
    {
      check: 'uniqueKey',
      rule: 'metrics.duplicate-key',
      severity: 'warning',
      columns: ['unit_id', 'id_type', 'date', 'metric_name'],
      hint: 'aggregate to one row per unit, ID type, date and metric',
    },
  ],
};
