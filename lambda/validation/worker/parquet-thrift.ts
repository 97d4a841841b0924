import { type FieldSpec, type StructSpec, THRIFT } from './thrift-compact';

/**
 * parquet.thrift's structs as a strict reader checks them: which fields are required and of what type. Structs whose
 * fields are all optional (statistics, logical types' payloads) are skipped, as a reader that does not need them does.
 */
const { bool, byte, i16, i32, i64, binary, list, struct } = THRIFT;

const req = (name: string, type: number, more: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  type,
  required: true,
  ...more,
});
const opt = (name: string, type: number, more: Partial<FieldSpec> = {}): FieldSpec => ({ name, type, ...more });
const upTo = (last: number, ...missing: number[]) =>
  new Set(Array.from({ length: last + 1 }, (_, i) => i).filter((i) => !missing.includes(i)));
/** parquet.thrift's enums; Encoding 1 (GROUP_VAR_INT) was removed from the format. */
const ENCODING = { values: upTo(9, 1) };
const PAGE_TYPE = { values: upTo(3) };
const TYPE = { values: upTo(7) };
const CODEC = { values: upTo(7) };
const REPETITION = { values: upTo(2) };
const CONVERTED_TYPE = { values: upTo(21) };
const spec = (name: string, fields: Record<number, FieldSpec>): StructSpec => ({ name, fields });

const DATA_PAGE_HEADER = spec('the data page header', {
  1: req('num_values', i32),
  2: req('encoding', i32, ENCODING),
  3: req('definition_level_encoding', i32, ENCODING),
  4: req('repetition_level_encoding', i32, ENCODING),
});
const DICTIONARY_PAGE_HEADER = spec('the dictionary page header', {
  1: req('num_values', i32),
  2: req('encoding', i32, ENCODING),
  3: opt('is_sorted', bool),
});
const DATA_PAGE_HEADER_V2 = spec('the data page v2 header', {
  1: req('num_values', i32),
  2: req('num_nulls', i32),
  3: req('num_rows', i32),
  4: req('encoding', i32, ENCODING),
  5: req('definition_levels_byte_length', i32),
  6: req('repetition_levels_byte_length', i32),
  7: opt('is_compressed', bool),
});

export const PAGE_HEADER = spec('the page header', {
  1: req('type', i32, PAGE_TYPE),
  2: req('uncompressed_page_size', i32),
  3: req('compressed_page_size', i32),
  4: opt('crc', i32),
  5: opt('data_page_header', struct, { struct: DATA_PAGE_HEADER }),
  7: opt('dictionary_page_header', struct, { struct: DICTIONARY_PAGE_HEADER }),
  8: opt('data_page_header_v2', struct, { struct: DATA_PAGE_HEADER_V2 }),
});

const TIME_UNIT = spec('a time unit', {});
const LOGICAL_TYPE = spec('a logical type', {
  5: opt('DECIMAL', struct, { struct: spec('a decimal type', { 1: req('scale', i32), 2: req('precision', i32) }) }),
  7: opt('TIME', struct, {
    struct: spec('a time type', { 1: req('isAdjustedToUTC', bool), 2: req('unit', struct, { struct: TIME_UNIT }) }),
  }),
  8: opt('TIMESTAMP', struct, {
    struct: spec('a timestamp type', {
      1: req('isAdjustedToUTC', bool),
      2: req('unit', struct, { struct: TIME_UNIT }),
    }),
  }),
  10: opt('INTEGER', struct, {
    struct: spec('an integer type', { 1: req('bitWidth', byte), 2: req('isSigned', bool) }),
  }),
});
const STATISTIC = { keepBytes: true };
const SCHEMA_ELEMENT = spec('a schema element', {
  1: opt('type', i32, TYPE),
  2: opt('type_length', i32),
  3: opt('repetition_type', i32, REPETITION),
  4: req('name', binary, { keepBytes: true }),
  5: opt('num_children', i32),
  6: opt('converted_type', i32, CONVERTED_TYPE),
  7: opt('scale', i32),
  8: opt('precision', i32),
  9: opt('field_id', i32),
  10: opt('logicalType', struct, { struct: LOGICAL_TYPE }),
});
const KEY_VALUE = spec('a key-value pair', { 1: req('key', binary), 2: opt('value', binary) });
const PAGE_ENCODING_STATS = spec('page encoding stats', {
  1: req('page_type', i32, PAGE_TYPE),
  2: req('encoding', i32, ENCODING),
  3: req('count', i32),
});
const STATISTICS = spec('statistics', {
  1: opt('max', binary, STATISTIC),
  2: opt('min', binary, STATISTIC),
  5: opt('max_value', binary, STATISTIC),
  6: opt('min_value', binary, STATISTIC),
});
const COLUMN_META_DATA = spec("a column chunk's metadata", {
  1: req('type', i32, TYPE),
  2: req('encodings', list, { element: i32, ...ENCODING }),
  3: req('path_in_schema', list, { element: binary }),
  4: req('codec', i32, CODEC),
  5: req('num_values', i64),
  6: req('total_uncompressed_size', i64),
  7: req('total_compressed_size', i64),
  8: opt('key_value_metadata', list, { element: struct, struct: KEY_VALUE }),
  9: req('data_page_offset', i64),
  10: opt('index_page_offset', i64),
  11: opt('dictionary_page_offset', i64),
  12: opt('statistics', struct, { struct: STATISTICS }),
  13: opt('encoding_stats', list, { element: struct, struct: PAGE_ENCODING_STATS }),
});
const COLUMN_CHUNK = spec('a column chunk', {
  1: opt('file_path', binary),
  2: req('file_offset', i64),
  3: opt('meta_data', struct, { struct: COLUMN_META_DATA }),
  4: opt('offset_index_offset', i64),
  5: opt('offset_index_length', i32),
  6: opt('column_index_offset', i64),
  7: opt('column_index_length', i32),
});
const SORTING_COLUMN = spec('a sorting column', {
  1: req('column_idx', i32),
  2: req('descending', bool),
  3: req('nulls_first', bool),
});
const ROW_GROUP = spec('a row group', {
  1: req('columns', list, { element: struct, struct: COLUMN_CHUNK }),
  2: req('total_byte_size', i64),
  3: req('num_rows', i64),
  4: opt('sorting_columns', list, { element: struct, struct: SORTING_COLUMN }),
  5: opt('file_offset', i64),
  6: opt('total_compressed_size', i64),
  7: opt('ordinal', i16),
});

export const FILE_METADATA = spec('the footer', {
  1: req('version', i32),
  2: req('schema', list, { element: struct, struct: SCHEMA_ELEMENT }),
  3: req('num_rows', i64),
  4: req('row_groups', list, { element: struct, struct: ROW_GROUP }),
  5: opt('key_value_metadata', list, { element: struct, struct: KEY_VALUE }),
  6: opt('created_by', binary),
  7: opt('column_orders', list, { element: struct, struct: spec('a column order', {}) }),
});

const PAGE_LOCATION = spec('a page location', {
  1: req('offset', i64),
  2: req('compressed_page_size', i32),
  3: req('first_row_index', i64),
});
export const OFFSET_INDEX = spec('the offset index', {
  1: req('page_locations', list, { element: struct, struct: PAGE_LOCATION }),
});
