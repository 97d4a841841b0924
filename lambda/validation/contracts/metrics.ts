import { METRICS_RULES } from './rules';
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
    values: [{ check: 'finite', ...METRICS_RULES.numberNonFinite }],
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
      values: [{ check: 'notEmpty', ...METRICS_RULES.unitIdEmpty }],
    },
    {
      name: 'id_type',
      presence: 'required',
      missingHint: 'add an id_type string column (user_id, stable_id or a custom ID type)',
      nullable: false,
      types: ['string'],
      typeText: 'string',
      typeHint: STRING_TYPE_HINT,
      values: [{ check: 'idType', ...METRICS_RULES.idTypeUnknown }],
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
        { check: 'calendarDate', ...METRICS_RULES.dateInvalid },
        { check: 'folderDay', ...METRICS_RULES.dateFolderMismatch },
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
          ...METRICS_RULES.metricNameLength,
          min: 1,
          max: 127,
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
      ...METRICS_RULES.valueMissing,
      value: 'metric_value',
      numerator: 'numerator',
      denominator: 'denominator',
    },
    {
      check: 'ratioMixing',
      ...METRICS_RULES.ratioMixed,
      metric: 'metric_name',
      numerator: 'numerator',
      denominator: 'denominator',
    },
    {
      check: 'uniqueKey',
      ...METRICS_RULES.duplicateKey,
      columns: ['unit_id', 'id_type', 'date', 'metric_name'],
      partial: METRICS_RULES.duplicateKeyPartial,
    },
  ],
};
