import { StatsigDataset } from '../../lib';
import { METRICS, METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambda/wire/metrics';
import { synthIngestion, type Synthesized } from './support/synth';

interface Widget {
  readonly properties: {
    readonly title: string;
    readonly metrics: unknown[][];
  };
}

/** The dashboard body as the console reads it; references to the stack's resources stay as `<ref>`. */
function dashboardWidgets(s: Synthesized): Widget[] {
  const dashboards = Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0].Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  return JSON.parse(text).widgets;
}

function widget(widgets: Widget[], title: string): Widget {
  const found = widgets.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no widget "${title}" among ${widgets.map((w) => w.properties.title).join(' | ')}`);
  return found;
}

/** A metric line of a graph widget as `namespace name dimension=value…` (dimensions sorted), without its options. */
function series(line: unknown[]): string {
  const parts = line.filter((item) => typeof item === 'string');
  const [namespace, name, ...dimensions] = parts as string[];
  const pairs = [];
  for (let i = 0; i < dimensions.length; i += 2) pairs.push(`${dimensions[i]}=${dimensions[i + 1]}`);
  return [namespace, name, ...pairs.sort()].join(' ');
}

const SERVICE = Object.entries(SERVICE_DIMENSION)
  .map(([key, value]) => `${key}=${value}`)
  .join(' ');

describe('the dashboard, with the default datasets', () => {
  let widgets: Widget[];
  beforeAll(() => {
    widgets = dashboardWidgets(synthIngestion());
  });

  test('has the widgets people look for, in order', () => {
    expect(widgets.map((w) => w.properties.title)).toEqual([
      'Files validated (valid), per dataset',
      'Files rejected (quarantined), per dataset',
      'Rows validated, per dataset',
      'Rejections by rule (errors per rule id)',
      'Validation time per file (p50, p99)',
      'Hours since the last published day ended (UTC−8)',
      'Days waiting: pending and held behind an earlier day',
      'Queue: age of the oldest S3 notification, and dead letters',
      'Validator function: errors and throttles',
    ]);
  });

  test("graphs the function's metric names, with the dimensions the function emits them with", () => {
    expect(widget(widgets, 'Files rejected (quarantined), per dataset').properties.metrics.map(series)).toEqual([
      `${METRICS_NAMESPACE} ${METRICS.filesRejected} ${SERVICE}`,
      `${METRICS_NAMESPACE} ${METRICS.filesRejected} Dataset=events ${SERVICE}`,
      `${METRICS_NAMESPACE} ${METRICS.filesRejected} Dataset=metrics ${SERVICE}`,
    ]);
    expect(widget(widgets, 'Hours since the last published day ended (UTC−8)').properties.metrics.map(series)).toEqual([
      `${METRICS_NAMESPACE} ${METRICS.readinessLag} Dataset=events ${SERVICE}`,
      `${METRICS_NAMESPACE} ${METRICS.readinessLag} Dataset=metrics ${SERVICE}`,
    ]);
  });

  test('shows validation time as p50 and p99', () => {
    const lines = widget(widgets, 'Validation time per file (p50, p99)').properties.metrics;
    expect(lines.map((line) => line.at(-1))).toEqual([
      expect.objectContaining({ stat: 'p50' }),
      expect.objectContaining({ stat: 'p99' }),
    ]);
  });

  test('searches every rule id for rejections by rule', () => {
    const [line] = widget(widgets, 'Rejections by rule (errors per rule id)').properties.metrics;
    expect((line[0] as { expression: string }).expression).toBe(
      `SEARCH('{${METRICS_NAMESPACE},service,Rule} service="${SERVICE_DIMENSION.service}" MetricName="${METRICS.rejectionsByRule}"', 'Sum', 300)`,
    );
  });

  test('shows the queue, the dead-letter queue and the function', () => {
    expect(
      widget(widgets, 'Queue: age of the oldest S3 notification, and dead letters').properties.metrics.map(series),
    ).toEqual([
      'AWS/SQS ApproximateAgeOfOldestMessage QueueName=<ref>',
      'AWS/SQS ApproximateNumberOfMessagesVisible QueueName=<ref>',
    ]);
    expect(widget(widgets, 'Validator function: errors and throttles').properties.metrics.map(series)).toEqual([
      'AWS/Lambda Errors FunctionName=<ref>',
      'AWS/Lambda Throttles FunctionName=<ref>',
    ]);
  });
});

test('graphs only the datasets readiness waits for', () => {
  const widgets = dashboardWidgets(synthIngestion(() => ({ datasets: [StatsigDataset.METRICS] })));
  expect(widget(widgets, 'Rows validated, per dataset').properties.metrics.map(series)).toEqual([
    `${METRICS_NAMESPACE} ${METRICS.rows} ${SERVICE}`,
    `${METRICS_NAMESPACE} ${METRICS.rows} Dataset=metrics ${SERVICE}`,
  ]);
});

test('is left out with dashboard: false', () => {
  const s = synthIngestion(() => ({ dashboard: false }));
  s.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  expect(s.ingestion.dashboard).toBeUndefined();
});
