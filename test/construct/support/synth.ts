import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StatsigS3Ingestion, type StatsigS3IngestionProps } from '../../../lib';

export interface Synthesized {
  readonly stack: Stack;
  readonly ingestion: StatsigS3Ingestion;
  readonly template: Template;
}

/** One stack holding one construct; props may create what they reference (keys, secrets) in the stack. */
export function synthIngestion(props: (stack: Stack) => StatsigS3IngestionProps = () => ({})): Synthesized {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const ingestion = new StatsigS3Ingestion(stack, 'Ingestion', props(stack));
  return { stack, ingestion, template: Template.fromStack(stack) };
}

/** The logical id of a construct's CloudFormation resource, for `{ Ref }` and `{ Fn::GetAtt }` matchers. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as Parameters<Stack['getLogicalId']>[0]);
}

/** The statements of the one `AWS::IAM::Policy` whose logical id starts with `prefix`. */
export function policyStatements(template: Template, prefix: string): Array<Record<string, unknown>> {
  const matches = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one policy ${prefix}*, found ${matches.length}`);
  return matches[0][1].Properties.PolicyDocument.Statement;
}
