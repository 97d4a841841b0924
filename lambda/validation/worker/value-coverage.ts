import type { ColumnValues } from '../row-rules';

/** One decoded run of a column's values, `offset` rows from the unit's first. */
export interface Piece {
  readonly offset: number;
  readonly data: ColumnValues;
}

/**
 * Joins a column's pieces into one array of exactly the unit's rows, refusing a row no page holds and a value the
 * decoder left undefined: hyparquet reads an out-of-range dictionary index, or a page short of its values, as
 * `undefined`, which the checks would take for a null. A strict reader fails there, so the file is corrupt.
 */
export function assembleColumn(name: string, pieces: readonly Piece[], rows: number, firstRow: number): ColumnValues {
  if (pieces.length === 1 && pieces[0].offset === 0 && pieces[0].data.length === rows) {
    return noneMissing(name, pieces[0].data, firstRow);
  }
  const out = new Array<unknown>(rows).fill(undefined);
  let covered = 0;
  for (const { offset, data } of pieces) {
    const from = Math.max(0, -offset);
    const to = Math.min(data.length, rows - offset);
    for (let i = from; i < to; i++) out[offset + i] = data[i];
    covered += Math.max(0, to - from);
  }
  if (covered < rows) {
    throw new Error(`column '${name}': its pages hold ${covered} of the ${rows} rows from row ${firstRow}`);
  }
  return noneMissing(name, out, firstRow);
}

function noneMissing(name: string, values: ColumnValues, firstRow: number): ColumnValues {
  const missing = Array.isArray(values) ? values.indexOf(undefined) : -1;
  if (missing >= 0) {
    throw new Error(
      `column '${name}', row ${firstRow + missing}: no value (a dictionary index out of range, or a page short of values)`,
    );
  }
  return values;
}
