/**
 * Turns a synthesized policy into the concrete one AWS would evaluate, by giving every resource a fixed physical
 * identity. Only the intrinsics the construct's policies use are supported; anything else fails loudly.
 */
export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';

type Resources = Record<string, { Type: string }>;

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

const REF_IS_ARN = new Set(['AWS::SNS::Topic', 'AWS::SecretsManager::Secret']);

function physicalName(logicalId: string): string {
  return logicalId.toLowerCase();
}

function arnOf(logicalId: string, type: string): string {
  const name = physicalName(logicalId);
  switch (type) {
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    case 'AWS::IAM::User':
      return `arn:aws:iam::${ACCOUNT}:user/${name}`;
    case 'AWS::KMS::Key':
      return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
    default:
      throw new Error(`no fixed ARN for ${type}`);
  }
}

export function resolveIntrinsics(node: unknown, resources: Resources): unknown {
  if (Array.isArray(node)) return node.map((item) => resolveIntrinsics(item, resources));
  if (node === null || typeof node !== 'object') return node;
  const fn = node as Record<string, unknown>;
  if ('Ref' in fn) {
    const ref = String(fn.Ref);
    if (ref in PSEUDO) return PSEUDO[ref];
    // A topic's and a secret's Ref is their ARN; other resources' is their name.
    if (ref in resources)
      return REF_IS_ARN.has(resources[ref].Type) ? arnOf(ref, resources[ref].Type) : physicalName(ref);
    throw new Error(`unknown Ref ${ref}`);
  }
  if ('Fn::GetAtt' in fn) {
    const [logicalId, attribute] = fn['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`unsupported attribute ${logicalId}.${attribute}`);
    return arnOf(logicalId, resources[logicalId].Type);
  }
  if ('Fn::Join' in fn) {
    const [delimiter, parts] = fn['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveIntrinsics(part, resources)).join(delimiter);
  }
  return Object.fromEntries(Object.entries(fn).map(([key, value]) => [key, resolveIntrinsics(value, resources)]));
}
