import { Annotations, Arn, ArnFormat, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { type Construct } from 'constructs';
import { ReaderKind } from '../reader';
import { ReaderListScope } from '../reader-list-scope';
import { viaS3 } from './kms-via-s3';
import { OWN_PREFIXES, STATSIG_PREFIXES, under } from './prefixes';
import type { ResolvedProps } from './resolve-props';

/** The AWS account Statsig's S3 reader principals live in (spec §8). */
const STATSIG_ACCOUNT = '999689269917';

export interface ReaderAccess {
  readonly user?: iam.IUser;
  readonly credentials?: secretsmanager.ISecret;
}

/**
 * Grants the reader exactly spec §8's rights, in its own policy and in the bucket policy. `bucket.grantRead()` is not
 * used because it grants `s3:List*` on the whole bucket, which would reveal the product's own prefixes.
 */
export function grantReader(scope: Construct, bucket: s3.IBucket, props: ResolvedProps): ReaderAccess {
  const key = props.encryptionKey;
  if (props.reader.kind === ReaderKind.IAM_USER) {
    const user = new iam.User(scope, 'ReaderUser');
    new iam.Policy(scope, 'ReaderPolicy', {
      users: [user],
      statements: [
        ...readStatements(bucket, props.readerListScope),
        ...(key ? [decryptStatement(scope, [key.keyArn])] : []),
      ],
    });
    addToBucketPolicy(scope, bucket, user, props.readerListScope);
    return { user, credentials: credentialsSecret(scope, user, bucket, props.accessKeySerial) };
  }
  const principalArn = props.reader.principalArn!;
  if (
    !Token.isUnresolved(principalArn) &&
    Arn.split(principalArn, ArnFormat.SLASH_RESOURCE_NAME).account !== STATSIG_ACCOUNT
  ) {
    Annotations.of(scope).addWarningV2(
      'cdk-statsig-s3-ingestion:readerOutsideStatsig',
      `The reader ${principalArn} is not in Statsig's account ${STATSIG_ACCOUNT}: it gets read access to the bucket`,
    );
  }
  const principal = new iam.ArnPrincipal(principalArn);
  addToBucketPolicy(scope, bucket, principal, props.readerListScope);
  if (key) {
    // In a key policy "*" means the key itself; naming its ARN would make the key depend on itself.
    const decrypt = decryptStatement(scope, ['*']);
    decrypt.addPrincipals(principal);
    warnUnlessAdded(
      scope,
      key.addToResourcePolicy(decrypt).statementAdded,
      'the KMS key policy',
      "the reader's kms:Decrypt statement",
    );
  }
  return {};
}

function readStatements(bucket: s3.IBucket, listScope: ReaderListScope | undefined): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadStatsigPrefixes',
      actions: ['s3:GetObject'],
      resources: STATSIG_PREFIXES.map((prefix) => bucket.arnForObjects(under(prefix))),
    }),
    listScope === ReaderListScope.BUCKET
      ? new iam.PolicyStatement({ sid: 'ListBucket', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] })
      : new iam.PolicyStatement({
          sid: 'ListStatsigPrefixes',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': STATSIG_PREFIXES.map(under) } },
        }),
    new iam.PolicyStatement({ sid: 'LocateBucket', actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }),
  ];
}

/** Decrypt only through S3, so the key cannot be used directly on anything else it protects. */
function decryptStatement(scope: Construct, resources: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DecryptStatsigObjects',
    actions: ['kms:Decrypt'],
    resources,
    conditions: viaS3(scope),
  });
}

/**
 * The bucket policy grants the same read rights (the only grant a Statsig principal has) and explicitly denies the
 * reader the product's own prefixes, so that a broader identity policy attached later still cannot expose them.
 */
function addToBucketPolicy(
  scope: Construct,
  bucket: s3.IBucket,
  reader: iam.IPrincipal,
  listScope: ReaderListScope | undefined,
): void {
  const statements = [
    ...readStatements(bucket, listScope),
    new iam.PolicyStatement({
      sid: 'DenyReaderOwnObjects',
      effect: iam.Effect.DENY,
      actions: ['s3:GetObject*'],
      resources: OWN_PREFIXES.map((prefix) => bucket.arnForObjects(under(prefix))),
    }),
    // Listing the whole bucket shows the product's own names anyway: a deny by prefix would only be inconsistent.
    ...(listScope === ReaderListScope.BUCKET
      ? []
      : [
          new iam.PolicyStatement({
            sid: 'DenyReaderOwnListing',
            effect: iam.Effect.DENY,
            actions: ['s3:ListBucket*'],
            resources: [bucket.bucketArn],
            conditions: { StringLike: { 's3:prefix': OWN_PREFIXES.map(under) } },
          }),
        ]),
  ];
  const added = statements.map((statement) => {
    statement.addPrincipals(reader);
    return bucket.addToResourcePolicy(statement).statementAdded;
  });
  warnUnlessAdded(scope, added.every(Boolean), 'the bucket policy', 'the reader statements');
}

function warnUnlessAdded(scope: Construct, added: boolean, where: string, what: string): void {
  if (!added) {
    Annotations.of(scope).addWarningV2(
      'cdk-statsig-s3-ingestion:resourcePolicyNotManaged',
      `${where} is not managed by this app, so the construct could not add ${what}: add by hand (README, "Imported bucket")`,
    );
  }
}

/**
 * The access key and everything Statsig needs alongside it, as one JSON document. The key's secret reaches the
 * template only as a `Fn::GetAtt` on the access key, never as plaintext, and is not a stack output; the other
 * fields are not secret (`unsafePlainText` only marks them as such for the JSON document).
 */
function credentialsSecret(
  scope: Construct,
  user: iam.IUser,
  bucket: s3.IBucket,
  serial: number | undefined,
): secretsmanager.ISecret {
  const accessKey = new iam.AccessKey(scope, 'ReaderAccessKey', { user, serial: serial ?? 1 });
  return new secretsmanager.Secret(scope, 'ReaderCredentials', {
    description: 'Access key for Statsig to read the events/, metrics/ and signals/ prefixes',
    secretObjectValue: {
      accessKeyId: SecretValue.unsafePlainText(accessKey.accessKeyId),
      secretAccessKey: accessKey.secretAccessKey,
      bucket: SecretValue.unsafePlainText(bucket.bucketName),
      region: SecretValue.unsafePlainText(Stack.of(scope).region),
      prefixes: SecretValue.unsafePlainText(STATSIG_PREFIXES.join(',')),
    },
  });
}
