import { SIGNALS_RULES } from './rules';
import type { DatasetContract } from './types';

/** Statsig's signals dataset (spec §4): one column saying which days are completely loaded. */
export const SIGNALS_CONTRACT: DatasetContract = {
  dataset: 'signals',
  otherColumns: { severity: 'error', hint: 'a signals file holds finished_date and nothing else: drop the column' },
  columns: [
    {
      name: 'finished_date',
      presence: 'required',
      missingHint: 'write one column, finished_date, holding the finished day',
      nullable: false,
      types: ['date', 'string'],
      typeText: 'DATE or YYYY-MM-DD string',
      typeHint: 'write it as a DATE or as a YYYY-MM-DD string',
      values: [
        { check: 'calendarDate', ...SIGNALS_RULES.finishedDateInvalid },
        { check: 'dayEnded', ...SIGNALS_RULES.finishedDateNotEnded },
      ],
    },
  ],
  rowRules: [],
};
