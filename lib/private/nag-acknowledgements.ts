import { Stack, Validations } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct, IConstruct } from 'constructs';
import { OWN_PREFIXES, STATSIG_PREFIXES, under } from './prefixes';

/**
 * The cdk-nag AwsSolutions findings this construct accepts, each with its reason, so that an app running cdk-nag
 * sees none of them. cdk-nag v3 matches a finding's full id, so the ids are built the way cdk-nag prints them.
 */
export function acknowledgeNagFindings(ingestion: Construct, bucket: s3.IBucket, readerCredentials?: IConstruct): void {
  for (const prefix of [...STATSIG_PREFIXES, ...OWN_PREFIXES]) {
    Validations.of(ingestion).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagReference(ingestion, bucket.arnForObjects(under(prefix)))}]`,
      reason: `Object access is limited to the ${prefix} prefix; the day folders and file names under it are not known at deploy time`,
    });
  }
  Validations.of(ingestion).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    reason: 'sns:Publish to the KMS-encrypted alerts topic needs the GenerateDataKey* actions, on that topic key only',
  });
  if (readerCredentials) {
    Validations.of(readerCredentials).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'The secret holds an IAM access key that Statsig keeps a copy of; it is rotated through the accessKeySerial prop and handed to Statsig, which automatic rotation could not do',
    });
  }
  acknowledgeCdkHelpers(Stack.of(ingestion));
}

/** CDK's own singleton functions (AwsCustomResource and S3 bucket notifications) live at the stack's top level. */
function acknowledgeCdkHelpers(stack: Stack): void {
  const helperIds = [
    `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    'BucketNotificationsHandler',
  ];
  const helpers = stack.node.children.filter((child) => helperIds.some((id) => child.node.id.startsWith(id)));
  for (const helper of helpers) {
    Validations.of(helper).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's own custom-resource function; the managed AWSLambdaBasicExecutionRole only lets it write its CloudWatch logs",
    });
  }
}

/** A token as cdk-nag prints it in finding ids: `<LogicalId.Arn>` for `Fn::GetAtt`, `<Name>` for `Ref`. */
function nagReference(scope: IConstruct, token: string): string {
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node;
    const fn = node as Record<string, unknown>;
    if (Array.isArray(fn['Fn::Join'])) {
      const [delimiter, parts] = fn['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if (Array.isArray(fn['Fn::GetAtt'])) return `<${(fn['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Ref' in fn) return `<${String(fn.Ref)}>`;
    return JSON.stringify(node);
  };
  return flatten(Stack.of(scope).resolve(token));
}
