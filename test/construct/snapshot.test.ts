import { type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleApp } from '../../bin/app';

/**
 * Asset hashes depend on the bundle's bytes, and CDKMetadata on the toolchain: neither is part of what the
 * construct promises, so both are masked to keep the snapshot stable across builds and machines.
 */
function stableTemplate(stack: Stack): unknown {
  const template = Template.fromStack(stack).toJSON();
  delete template.Resources.CDKMetadata;
  delete template.Conditions?.CDKMetadataAvailable;
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

test('the example stack matches its snapshot', () => {
  const stack = exampleApp().node.findChild('StatsigS3Ingestion') as Stack;
  expect(stableTemplate(stack)).toMatchSnapshot();
});
