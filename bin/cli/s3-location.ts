import { UsageError } from './args';

/** A bucket and a key prefix, as `s3://bucket/prefix` names them. */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

export const isS3Uri = (path: string) => path.startsWith('s3://');

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new UsageError(`'${uri}' is not an S3 location: write s3://bucket/prefix`);
  return { bucket: match[1], prefix: match[2] };
}

export const s3Uri = (bucket: string, key: string) => `s3://${bucket}/${key}`;
