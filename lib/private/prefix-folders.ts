import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { type Construct } from 'constructs';
import { viaS3 } from './kms-via-s3';
import { STATSIG_PREFIXES } from './prefixes';

/**
 * Creates `events/`, `metrics/` and `signals/` as zero-byte folder objects, as the S3 console does, with an SDK call
 * from CDK's own custom-resource function: no Python or AWS CLI layer and no Docker. Deleting the stack leaves them,
 * like the bucket.
 */
export function prefixFolders(scope: Construct, bucket: s3.IBucket, key: kms.IKey | undefined): void {
  STATSIG_PREFIXES.forEach((prefix) => {
    const name = prefix.replace('/', '');
    const putFolder: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putObject',
      parameters: { Bucket: bucket.bucketName, Key: prefix, Body: '' },
      physicalResourceId: cr.PhysicalResourceId.of(prefix),
    };
    const statements = [
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(prefix)] }),
    ];
    if (key) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey'],
          resources: [key.keyArn],
          conditions: viaS3(scope),
        }),
      );
    }
    new cr.AwsCustomResource(scope, `Folder${name[0].toUpperCase()}${name.slice(1)}`, {
      onCreate: putFolder,
      onUpdate: putFolder,
      policy: cr.AwsCustomResourcePolicy.fromStatements(statements),
      // The SDK in the Lambda runtime can put an object; installing the latest one would need network at deploy time.
      installLatestAwsSdk: false,
    });
  });
}
