import type { SchemaElement } from 'hyparquet';
import type { ParquetKind } from './contracts';

/** A top-level column of a file, as the schema check sees it. */
export interface ColumnDescriptor {
  readonly name: string;
  readonly kind: ParquetKind;
  /** How the file declares it, for messages: `INT64 (TIMESTAMP_MICROS)`, `STRUCT`, `BYTE_ARRAY (UTF8)`. */
  readonly declared: string;
}

/** Folds a leaf's physical type, converted type and logical type into a kind. */
export function kindOf(element: SchemaElement): ParquetKind {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  const nanos = element.logical_type?.type === 'TIMESTAMP' && element.logical_type.unit === 'NANOS';
  if (element.repetition_type === 'REPEATED') return 'nested';
  if (converted === 'DECIMAL' || logical === 'DECIMAL') return 'decimal';
  if (converted === 'DATE' || logical === 'DATE') return 'date';
  if (nanos) return 'timestamp_nanos';
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || logical === 'TIMESTAMP')
    return 'timestamp';
  if (logical === 'UUID') return 'uuid';
  switch (element.type) {
    case 'BYTE_ARRAY':
      return converted === 'UTF8' ||
        converted === 'JSON' ||
        converted === 'ENUM' ||
        logical === 'STRING' ||
        logical === 'JSON' ||
        logical === 'ENUM'
        ? 'string'
        : 'binary';
    case 'INT32':
      return converted === undefined || converted === 'INT_32' || converted === 'INT_16' || converted === 'INT_8'
        ? 'int32'
        : 'other';
    case 'INT64':
      return converted === undefined || converted === 'INT_64' ? 'int64' : 'other';
    case 'INT96':
      return 'timestamp';
    case 'DOUBLE':
      return 'double';
    case 'FLOAT':
      return 'float';
    case 'BOOLEAN':
      return 'boolean';
    default:
      return 'other';
  }
}

export function declaredType(element: SchemaElement, hasChildren: boolean): string {
  if (hasChildren) {
    const logical = element.logical_type?.type ?? element.converted_type;
    return logical === 'LIST' || logical === 'MAP' || logical === 'MAP_KEY_VALUE' ? String(logical) : 'STRUCT';
  }
  const annotation =
    element.logical_type?.type === 'TIMESTAMP'
      ? `TIMESTAMP ${element.logical_type.unit}`
      : (element.converted_type ?? element.logical_type?.type);
  return annotation ? `${element.type} (${annotation})` : String(element.type);
}
