/**
 * Thrift's compact protocol read the way Apache Thrift's generated C++ reads it (DuckDB's and parquet-cpp's reader):
 * a field of a known id but another type is skipped, a required field missing is invalid data, an unknown type code
 * is invalid data, an integer longer than its type allows is invalid data, and nothing is read past the bytes.
 * hyparquet's reader yields whatever damaged bytes decode to; this one says what a strict reader would refuse.
 */

/** Compact protocol type codes; a bool field carries its value in the type (1 true, 2 false). */
export const THRIFT = {
  bool: 1,
  byte: 3,
  i16: 4,
  i32: 5,
  i64: 6,
  double: 7,
  binary: 8,
  list: 9,
  set: 10,
  map: 11,
  struct: 12,
} as const;

export interface FieldSpec {
  readonly name: string;
  readonly type: number;
  readonly required?: boolean;
  /** The struct a struct field holds, or the struct a list's elements are. */
  readonly struct?: StructSpec;
  /** A list's element type. */
  readonly element?: number;
  /** An enum's values (of the field, or of a list's elements): any other is invalid data, as the generated code has it. */
  readonly values?: ReadonlySet<number>;
  /** A binary field read as its bytes (a view, not a copy) rather than its length. */
  readonly keepBytes?: boolean;
}

export interface StructSpec {
  readonly name: string;
  readonly fields: Readonly<Record<number, FieldSpec>>;
}

/** A struct as read: integers and bools as numbers and booleans, structs as objects, lists as arrays, binary as its length. */
export type ThriftValue = number | boolean | Uint8Array | ThriftStruct | ThriftValue[] | undefined;
export interface ThriftStruct {
  [name: string]: ThriftValue;
}

function checkEnum(field: FieldSpec, value: ThriftValue): ThriftValue {
  if (field.values && typeof value === 'number' && !field.values.has(value)) {
    throw new Error(`invalid data: ${field.name} ${value} is none of its enum's values`);
  }
  return value;
}

/** Apache Thrift's default recursion limit. */
const MAX_DEPTH = 64;

export class CompactReader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
    private readonly end = bytes.length,
  ) {}

  /** Reads a struct of `spec`, skipping fields it does not know; throws what a strict reader throws. */
  struct(spec: StructSpec, depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) throw new Error(`${spec.name} nests deeper than ${MAX_DEPTH} levels`);
    const read: ThriftStruct = {};
    let id = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === 0) break;
      id = head >> 4 ? id + (head >> 4) : this.zigzag(5);
      const field = spec.fields[id];
      const isBool = type === 1 || type === 2;
      if (field && (field.type === type || (field.type === THRIFT.bool && isBool))) {
        read[field.name] = isBool ? type === 1 : this.value(type, depth, field);
        checkEnum(field, read[field.name]);
      } else {
        this.value(type, depth);
      }
    }
    for (const field of Object.values(spec.fields)) {
      if (field.required && read[field.name] === undefined) {
        throw new Error(`${spec.name} lacks its required field ${field.name}`);
      }
    }
    return read;
  }

  private value(type: number, depth: number, field?: FieldSpec): ThriftValue {
    switch (type) {
      case 1:
      case 2:
        return undefined;
      case THRIFT.byte:
        return this.byte();
      case THRIFT.i16:
        return this.zigzag(3);
      case THRIFT.i32:
        return this.zigzag(5);
      case THRIFT.i64:
        return this.zigzag(10);
      case THRIFT.double:
        return void this.advance(8);
      case THRIFT.binary: {
        const length = this.size();
        this.advance(length);
        return field?.keepBytes ? this.bytes.subarray(this.at - length, this.at) : length;
      }
      case THRIFT.list:
      case THRIFT.set:
        return this.list(depth, field);
      case THRIFT.map: {
        const size = this.size();
        const types = size ? this.byte() : 0;
        for (let i = 0; i < size; i++) {
          this.element(types >> 4, depth + 1);
          this.element(types & 0x0f, depth + 1);
        }
        return undefined;
      }
      case THRIFT.struct:
        return field?.struct
          ? this.struct(field.struct, depth + 1)
          : void this.struct({ name: 'a struct', fields: {} }, depth + 1);
      default:
        throw new Error(`invalid data: Thrift type ${type}`);
    }
  }

  private list(depth: number, field?: FieldSpec): ThriftValue[] | undefined {
    const head = this.byte();
    const size = head >> 4 === 15 ? this.size() : head >> 4;
    const type = head & 0x0f;
    const keep = field?.element === type || (field?.element === THRIFT.bool && type === 1);
    const values: ThriftValue[] = [];
    for (let i = 0; i < size; i++) {
      const value = this.element(type, depth + 1, keep ? { ...field!, type } : undefined);
      if (keep) values.push(checkEnum(field!, value));
    }
    return keep ? values : undefined;
  }

  /** A list, set or map element: a bool is a byte there. */
  private element(type: number, depth: number, field?: FieldSpec): ThriftValue {
    if (type === 1 || type === 2) return this.byte() === 1;
    return this.value(type, depth, field);
  }

  private byte(): number {
    if (this.at >= this.end) throw new Error('the Thrift data runs past its end');
    return this.bytes[this.at++];
  }

  /** An unsigned varint of at most `maxBytes` bytes (5 for 32 bits, 10 for 64). */
  private varint(maxBytes: number): number {
    let value = 0;
    for (let i = 0; i < maxBytes; i++) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** (7 * i);
      if (byte < 0x80) return value;
    }
    throw new Error(`invalid data: a variable-length integer over ${maxBytes} bytes`);
  }

  private zigzag(maxBytes: number): number {
    const raw = this.varint(maxBytes);
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** A container or binary size: a 32-bit varint that must not be negative. */
  private size(): number {
    const size = this.varint(5);
    if (size >= 2 ** 31) throw new Error(`invalid data: a negative size`);
    return size;
  }

  private advance(bytes: number): void {
    if (this.at + bytes > this.end) throw new Error('the Thrift data runs past its end');
    this.at += bytes;
  }
}
