import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { Readiness, Reader, ReaderListScope, StatsigS3Ingestion } from '../../lib';

interface Violation {
  readonly ruleName: string;
  readonly violatingResources: Array<{ readonly constructPath?: string }>;
}

/** Synthesizes with AwsSolutionsChecks and returns every unacknowledged violation of every validation plugin. */
function violations(app: App): Violation[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let thrown: unknown;
  try {
    app.synth();
  } catch (error) {
    thrown = error;
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, cxapi.VALIDATION_REPORT_FILE), 'utf8'));
  const found: Violation[] = report.pluginReports.flatMap((r: { violations?: Violation[] }) => r.violations ?? []);
  if (thrown && found.length === 0) throw thrown;
  return found;
}

function appIn(dir: string): App {
  return new App({ outdir: fs.mkdtempSync(path.join(dir, 'cdk-nag-')) });
}

let tmp: string;
let app: App;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'statsig-nag-'));
  app = appIn(tmp);
  new StatsigS3Ingestion(new Stack(app, 'Defaults'), 'Ingestion');
  const kmsStack = new Stack(app, 'KeyPrincipalApi');
  new StatsigS3Ingestion(kmsStack, 'Ingestion', {
    encryptionKey: new kms.Key(kmsStack, 'DataKey', { enableKeyRotation: true }),
    reader: Reader.statsigPrincipal('arn:aws:iam::999689269917:role/statsig'),
    readiness: Readiness.api({
      secret: secretsmanager.Secret.fromSecretCompleteArn(
        kmsStack,
        'Api',
        'arn:aws:secretsmanager:us-east-1:111111111111:secret:statsig-AbCdEf',
      ),
    }),
  });
  new StatsigS3Ingestion(new Stack(app, 'BucketListing'), 'Ingestion', { readerListScope: ReaderListScope.BUCKET });
  const importedStack = new Stack(app, 'ImportedBucket');
  new StatsigS3Ingestion(importedStack, 'Ingestion', {
    bucket: s3.Bucket.fromBucketName(importedStack, 'Existing', 'existing-data'),
  });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('AwsSolutionsChecks leaves no unacknowledged finding, with defaults, a CMK + Statsig principal + API, listing the whole bucket, or an imported bucket', () => {
  expect(violations(app).map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)])).toEqual([]);
});

test('the acknowledgements are exactly those the README lists', () => {
  const acknowledged = new Set<string>();
  const visit = (construct: IConstruct) => {
    for (const entry of construct.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        Object.keys(entry.data).forEach((id) => acknowledged.add(id.replace(/<\w+\.Arn>/, '<bucket>')));
      }
    }
    construct.node.children.forEach(visit);
  };
  visit(app.node.findChild('Defaults'));
  expect([...acknowledged].sort()).toEqual([
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    'AwsSolutions::AwsSolutions-IAM5[Resource::<bucket>/_quarantine/*]',
    'AwsSolutions::AwsSolutions-IAM5[Resource::<bucket>/_reports/*]',
    'AwsSolutions::AwsSolutions-IAM5[Resource::<bucket>/_state/*]',
    'AwsSolutions::AwsSolutions-IAM5[Resource::<bucket>/events/*]',
    'AwsSolutions::AwsSolutions-IAM5[Resource::<bucket>/metrics/*]',
    'AwsSolutions::AwsSolutions-IAM5[Resource::<bucket>/signals/*]',
    'AwsSolutions::AwsSolutions-SMG4',
  ]);
});

test('the harness does see findings: a bare bucket is reported', () => {
  const canary = appIn(tmp);
  new s3.Bucket(new Stack(canary, 'Canary'), 'Bare');
  expect(violations(canary).map((v) => v.ruleName)).toEqual(
    expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
  );
});
