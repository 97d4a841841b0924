import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { viaS3 } from './kms-via-s3';
import { under } from './prefixes';

/**
 * What a producer needs to deliver day folders: objects and `_SUCCESS` markers under the data prefixes, in one
 * request or in parts. Not `signals/` (readiness writes it once every dataset is complete: a producer's signal would
 * tell Statsig a day is loaded before it is judged), and no read, list or delete: a producer never needs to see what
 * Statsig reads or what the product keeps.
 */
const WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/**
 * With SSE-KMS, S3 asks for a data key on every upload and decrypts it again to assemble a multipart upload's parts.
 * Only through S3, so the producer cannot use the key on anything else it protects.
 */
const KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

export function grantProducerWrite(
  producer: iam.IGrantable,
  bucket: s3.IBucket,
  key: kms.IKey | undefined,
  datasets: readonly string[],
): iam.Grant {
  const objects = iam.Grant.addToPrincipalOrResource({
    grantee: producer,
    actions: WRITE_ACTIONS,
    resourceArns: datasets.map((dataset) => bucket.arnForObjects(under(`${dataset}/`))),
    resource: bucket,
  });
  if (!key) return objects;
  const encrypt = iam.Grant.addToPrincipalOrResource({
    grantee: producer,
    actions: KMS_ACTIONS,
    resourceArns: [key.keyArn],
    // In a key policy "*" means the key itself.
    resourceSelfArns: ['*'],
    resource: key,
    conditions: viaS3(bucket),
  });
  return objects.combine(encrypt);
}
