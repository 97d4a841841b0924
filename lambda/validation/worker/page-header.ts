import { PAGE_HEADER } from './parquet-thrift';
import { CompactReader, type ThriftStruct } from './thrift-compact';

/**
 * Parquet page headers read as a strict reader reads them (required fields present, every length checked against
 * the bytes): hyparquet's reader yields whatever a damaged header decodes to.
 */
export interface PageHeader {
  readonly type: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  /** Values (data pages, nulls included) or entries (dictionary pages). */
  readonly values: number;
  /** The data page's encoding; dictionary-encoded pages need a dictionary page before them. */
  readonly encoding?: number;
  /** Where the page's data starts. */
  readonly dataStart: number;
  /** A v1 data page's encoding of its definition levels: 3 (RLE) has the length-prefixed runs. */
  readonly definitionLevelEncoding?: number;
  /** A data page v2's definition levels, uncompressed at the start of its data after its repetition levels. */
  readonly definitionLevels?: { readonly start: number; readonly length: number };
  /** A data page v2 whose values are stored as they are (`is_compressed` false), whatever the chunk's codec. */
  readonly valuesStored?: boolean;
}

/** A strict reader's checks of a data page v2's own counts: its levels inside its bytes, nulls and rows among its values. */
function checkV2(nested: ThriftStruct, compressedSize: number): void {
  const [values, nulls, rows] = [nested.num_values, nested.num_nulls, nested.num_rows] as number[];
  const levels = (nested.definition_levels_byte_length as number) + (nested.repetition_levels_byte_length as number);
  if ((nested.definition_levels_byte_length as number) < 0 || (nested.repetition_levels_byte_length as number) < 0) {
    throw new Error('the data page v2 header claims negative level lengths');
  }
  if (levels > compressedSize) throw new Error(`its levels claim ${levels} bytes of a ${compressedSize}-byte page`);
  if (nulls < 0 || nulls > values || rows < 0 || rows > values) {
    throw new Error(`the data page v2 header claims ${nulls} nulls and ${rows} rows of ${values} values`);
  }
}

export const PAGE_TYPES = { data: 0, index: 1, dictionary: 2, dataV2: 3 } as const;
/** PLAIN_DICTIONARY and RLE_DICTIONARY. */
export const DICTIONARY_ENCODINGS = new Set([2, 8]);

/** The nested header each page type must carry. */
const NESTED = {
  [PAGE_TYPES.data]: 'data_page_header',
  [PAGE_TYPES.dictionary]: 'dictionary_page_header',
  [PAGE_TYPES.dataV2]: 'data_page_header_v2',
} as Record<number, string | undefined>;

/** Reads the page header at `at` of a column chunk's bytes. */
export function readPageHeader(bytes: Uint8Array, at: number): PageHeader {
  const reader = new CompactReader(bytes, at);
  const header = reader.struct(PAGE_HEADER);
  const type = header.type as number;
  const nestedName = NESTED[type];
  const nested = nestedName === undefined ? undefined : (header[nestedName] as ThriftStruct | undefined);
  if (nestedName !== undefined && !nested)
    throw new Error(`the page header of a page of type ${type} lacks its ${nestedName}`);
  if (type !== PAGE_TYPES.index && nestedName === undefined)
    throw new Error(`the page header's type ${type} is no page type`);
  if (type === PAGE_TYPES.dataV2) checkV2(nested!, header.compressed_page_size as number);
  return {
    type,
    uncompressedSize: header.uncompressed_page_size as number,
    compressedSize: header.compressed_page_size as number,
    values: (nested?.num_values as number | undefined) ?? 0,
    encoding: nested?.encoding as number | undefined,
    dataStart: reader.at,
    definitionLevelEncoding: nested?.definition_level_encoding as number | undefined,
    ...(type === PAGE_TYPES.dataV2 && {
      definitionLevels: {
        start: reader.at + (nested!.repetition_levels_byte_length as number),
        length: nested!.definition_levels_byte_length as number,
      },
      valuesStored: nested!.is_compressed === false,
    }),
  };
}
