import type { ByteSource } from './byte-source';
import { FILE_RULES } from './contracts';
import { corrupt, fileProblem } from './file-problem';

/** A parquet file is at least its leading magic, a footer length and the trailing magic. */
const MIN_PARQUET_BYTES = 12;
/** Real footers are kilobytes; a corrupt length must not make us fetch gigabytes. */
const MAX_FOOTER_BYTES = 16 * 1024 * 1024;
/** One read usually brings the whole footer, and keeps a schema-only check small. */
const TAIL_GUESS_BYTES = 64 * 1024;

const PAR1 = 0x31524150; // "PAR1" little-endian
const PARE = 0x45524150; // "PARE": footer encrypted with Parquet Modular Encryption

export interface Footer {
  /** The file's last bytes, holding the footer, its length and the magic. */
  readonly tail: ArrayBuffer;
  /** Where the footer starts: every column chunk must end before it. */
  readonly footerStart: number;
  /** The file offset of `tail`'s first byte: data there is already in hand. */
  readonly tailStart: number;
}

function describeStart(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes.subarray(0, 4));
  if (text.startsWith('{') || text.startsWith('[')) return 'it looks like JSON';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'it looks like a gzip archive';
  if (text === 'PK\u0003\u0004') return 'it looks like a zip archive';
  if (text === 'ORC') return 'it looks like an ORC file';
  if (text.startsWith('Obj')) return 'it looks like an Avro file';
  if (/^[\x20-\x7e\t\r\n]{4}$/.test(text)) return 'it looks like text (CSV?)';
  return 'it does not start with the parquet magic bytes PAR1';
}

/** Reads and sanity-checks the footer; throws FileProblem for anything that is not a readable parquet file. */
export async function readFooter(source: ByteSource): Promise<Footer> {
  const size = source.byteLength;
  if (size < MIN_PARQUET_BYTES) {
    throw fileProblem(
      size === 0 ? FILE_RULES.emptyFile : FILE_RULES.notParquet,
      `the file is ${size} bytes; a parquet file has at least ${MIN_PARQUET_BYTES}`,
      'upload the complete parquet file',
    );
  }
  const tailStart = Math.max(0, size - TAIL_GUESS_BYTES);
  const [head, firstTail] = await Promise.all([
    tailStart > 0 ? source.slice(0, 4) : Promise.resolve(undefined),
    source.slice(tailStart, size),
  ]);
  const headBytes = new Uint8Array(head ?? firstTail, 0, 4);
  const tailView = new DataView(firstTail);
  const leading = new DataView(headBytes.buffer, headBytes.byteOffset, 4).getUint32(0, true);
  const trailing = tailView.getUint32(firstTail.byteLength - 4, true);

  if (leading === PARE || trailing === PARE) {
    throw fileProblem(
      FILE_RULES.encrypted,
      'the file is encrypted with Parquet Modular Encryption, which Statsig cannot read',
    );
  }
  if (leading !== PAR1)
    throw fileProblem(FILE_RULES.notParquet, `the file is not parquet: ${describeStart(headBytes)}`);
  if (trailing !== PAR1) {
    throw fileProblem(
      FILE_RULES.truncated,
      'the file starts as parquet but does not end with the parquet footer: it was cut short',
    );
  }
  const footerLength = tailView.getUint32(firstTail.byteLength - 8, true);
  const footerStart = size - 8 - footerLength;
  if (footerStart < 4 || footerLength > MAX_FOOTER_BYTES) {
    throw corrupt(`the footer claims ${footerLength} bytes, more than the file can hold`);
  }
  if (footerStart >= tailStart) return { tail: firstTail, footerStart, tailStart };
  return { tail: concat(await source.slice(footerStart, tailStart), firstTail), footerStart, tailStart: footerStart };
}

function concat(a: ArrayBuffer, b: ArrayBuffer): ArrayBuffer {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(new Uint8Array(a), 0);
  out.set(new Uint8Array(b), a.byteLength);
  return out.buffer;
}
