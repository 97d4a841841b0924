import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Limits a KMS grant to use through S3 in the stack's region, so the key cannot be used directly. */
export function viaS3(scope: IConstruct): Record<string, Record<string, string>> {
  return { StringEquals: { 'kms:ViaService': `s3.${Stack.of(scope).region}.amazonaws.com` } };
}
