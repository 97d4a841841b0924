import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleApp } from '../../bin/app';
import { dashboardPicture, type DashboardWidget } from './support/dashboard-picture';

const PICTURE = join(__dirname, '..', '..', 'docs', 'dashboard.svg');

/** The example stack's dashboard body, with references to its resources as `<ref>`. */
function exampleWidgets(): DashboardWidget[] {
  const stack = exampleApp().node.findChild('StatsigS3Ingestion') as Stack;
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  return JSON.parse(body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<ref>')).join('')).widgets;
}

/** `DASHBOARD_PICTURE=write` redraws the README's picture after a deliberate change to the dashboard. */
test("the README's dashboard picture is drawn from the dashboard the construct synthesizes", () => {
  const picture = dashboardPicture(exampleWidgets());
  if (process.env.DASHBOARD_PICTURE === 'write') writeFileSync(PICTURE, picture);
  expect(readFileSync(PICTURE, 'utf8')).toBe(picture);
});
