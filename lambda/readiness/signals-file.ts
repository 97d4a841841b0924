import { parquetWriteBuffer } from 'hyparquet-writer';
import { dayNumber } from '../validation';

/** `signals/2024-05-01.parquet`: plain names, never `key=value` folders (spec §4). */
export function signalsKey(day: string): string {
  return `signals/${day}.parquet`;
}

/** The signals file for `day`: one row, one column `finished_date` of parquet type DATE, not null (spec §4). */
export function signalsFile(day: string): Uint8Array {
  const days = dayNumber(day);
  if (days === undefined) throw new RangeError(`not a calendar day: ${day}`);
  const buffer = parquetWriteBuffer({
    columnData: [{ name: 'finished_date', data: [days], nullable: false }],
    schema: [
      { name: 'root', num_children: 1 },
      {
        name: 'finished_date',
        type: 'INT32',
        converted_type: 'DATE',
        logical_type: { type: 'DATE' },
        repetition_type: 'REQUIRED',
      },
    ],
  });
  return new Uint8Array(buffer);
}
