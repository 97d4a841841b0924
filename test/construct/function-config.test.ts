import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Readiness, StatsigDataset, TimestampUnit } from '../../lib';
import {
  configFromEnvironment,
  configToEnvironment,
  validatorConfig,
  type ValidatorConfig,
} from '../../lambda/wire/config';
import { ENV, POWERTOOLS_ENV } from '../../lambda/wire/environment';
import { functionDecoder } from '../../lambda/handler/function-decoder';
import { SOURCE_DECODER_SCRIPT } from '../support/decoder';
import { SEVERITY_OVERRIDES_ENV } from '../../lambda/wire/severity-overrides';
import { resolveIntrinsics } from './support/resolve-intrinsics';
import { synthIngestion, type Synthesized } from './support/synth';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:alerts';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:statsig-AbCdEf';

/** The validator's environment as CloudFormation would hand it over, its references resolved to fixed names. */
function deployedEnvironment({ template }: Synthesized): Record<string, string> {
  const resources = template.toJSON().Resources;
  const [validator] = Object.values(
    template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }),
  );
  return resolveIntrinsics(validator.Properties.Environment.Variables, resources) as Record<string, string>;
}

describe('the function configuration, declared once', () => {
  test.each<[string, ValidatorConfig]>([
    ['the defaults', validatorConfig({ eventBusName: 'bus', alertsTopicArn: TOPIC_ARN })],
    [
      'every setting changed',
      validatorConfig({
        eventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/custom',
        alertsTopicArn: TOPIC_ARN,
        datasets: ['metrics'],
        idTypes: ['user_id', 'stable_id', 'company_id'],
        timestampUnit: 'milliseconds',
        severityOverrides: { 'metrics.date.folder-mismatch': 'warning', 'events.timeuuid.invalid': 'error' },
        quarantinePrefix: '_q/',
        reportsPrefix: '_r/',
        statePrefix: '_s/',
        readiness: { mode: 'api', secretArn: SECRET_ARN, baseUrl: 'https://statsig.example.com' },
        memoryBudgetMb: 3072,
        decoders: 3,
        readinessStartDay: '2024-03-01',
        readinessGracePeriodHours: 1.5,
      }),
    ],
  ])('round-trips through the environment: %s', (_name, config) => {
    expect(configFromEnvironment(configToEnvironment(config))).toEqual(config);
  });

  test('an empty environment but for the targets gives the defaults', () => {
    expect(configFromEnvironment({ [ENV.eventBusName]: 'bus', [ENV.alertsTopicArn]: TOPIC_ARN })).toEqual({
      datasets: ['events', 'metrics'],
      idTypes: ['user_id', 'stable_id'],
      timestampUnit: 'seconds',
      severityOverrides: {},
      quarantinePrefix: '_quarantine/',
      reportsPrefix: '_reports/',
      statePrefix: '_state/',
      readiness: { mode: 'signals' },
      readinessGracePeriodHours: 6,
      eventBusName: 'bus',
      alertsTopicArn: TOPIC_ARN,
      memoryBudgetMb: 1024,
      decoders: 1,
    });
  });

  test("the validator's memory budget is half the function's memory, the default function's included (spec §6)", () => {
    expect(configFromEnvironment(deployedEnvironment(synthIngestion())).memoryBudgetMb).toBe(1024);
    const large = deployedEnvironment(synthIngestion(() => ({ memorySize: 6144 })));
    expect(configFromEnvironment(large).memoryBudgetMb).toBe(3072);
    expect(() => configFromEnvironment({ [ENV.memoryBudgetMb]: 'lots' })).toThrow(
      new RegExp(`${ENV.memoryBudgetMb}: must be a whole number of MB`),
    );
  });

  // Lambda gives one vCPU-second per second per 1,769 MB; the function runs one decoder per whole vCPU of time.
  test.each([
    [128, 1],
    [1769, 1],
    [2048, 1],
    [3537, 1],
    [3538, 2],
    [10240, 5],
  ])('a function of %i MB runs %i decoder process(es), and its handler builds a pool of that size', (memorySize, n) => {
    const env = deployedEnvironment(synthIngestion(() => ({ memorySize })));
    expect(env[ENV.decoders]).toBe(String(n));
    const decoder = functionDecoder(configFromEnvironment(env), SOURCE_DECODER_SCRIPT);
    expect(decoder.size).toBe(n);
  });

  test('the function refuses a decoder count Lambda has no vCPUs for', () => {
    expect(() => configFromEnvironment({ [ENV.decoders]: '0' })).toThrow(
      new RegExp(`${ENV.decoders}: must be a whole number from 1 to 6, got 0`),
    );
    expect(() => configFromEnvironment({ [ENV.decoders]: '7' })).toThrow(new RegExp(`${ENV.decoders}: .* got 7`));
  });

  test('what the construct deploys is what the function reads: the props, the bus, the topic and the secret', () => {
    const synthesized = synthIngestion((stack) => ({
      datasets: [StatsigDataset.METRICS],
      idTypes: ['company_id', 'user_id'],
      timestampUnit: TimestampUnit.MILLISECONDS,
      severityOverrides: { 'events.event_name.space': 'error' },
      readiness: Readiness.api({
        secret: new secretsmanager.Secret(stack, 'Api'),
        baseUrl: 'https://statsig.example.com',
      }),
    }));
    const env = deployedEnvironment(synthesized);
    expect(env).toMatchObject(POWERTOOLS_ENV);
    const config = configFromEnvironment(env);
    expect(config).toMatchObject({
      datasets: ['metrics'],
      idTypes: ['user_id', 'stable_id', 'company_id'],
      timestampUnit: 'milliseconds',
      severityOverrides: { 'events.event_name.space': 'error' },
      readiness: { mode: 'api', baseUrl: 'https://statsig.example.com' },
    });
    expect(config.alertsTopicArn).toMatch(/^arn:aws:sns:/);
    expect(config.eventBusName).toMatch(/^arn:aws:events:.*:event-bus\/default$/);
    expect(config.readiness.mode === 'api' && config.readiness.secretArn).toMatch(/^arn:aws:secretsmanager:/);
  });

  test('the construct leaves out what the function defaults to in signals mode', () => {
    const env = deployedEnvironment(synthIngestion());
    expect(env).not.toHaveProperty(SEVERITY_OVERRIDES_ENV);
    expect(env[ENV.readinessMode]).toBe('signals');
    expect(env).not.toHaveProperty(ENV.statsigApiSecretArn);
    expect(configFromEnvironment(env).readiness).toEqual({ mode: 'signals' });
  });

  test('the function names every problem by its variable', () => {
    expect(() =>
      configFromEnvironment({
        [ENV.readinessMode]: 'api',
        [ENV.datasets]: 'events,signals',
        [ENV.statsigApiBaseUrl]: 'https://api.statsig.com/',
        [ENV.quarantinePrefix]: 'events/quarantine/',
        [SEVERITY_OVERRIDES_ENV]: '{"parquet.corrupt":"warning"}',
      }),
    ).toThrow(
      new RegExp(
        [
          `${ENV.statsigApiSecretArn}: is required`,
          `${ENV.statsigApiBaseUrl}: the Statsig API base URL must not end with "/"`,
          `${ENV.datasets}: unknown "signals"`,
          `${SEVERITY_OVERRIDES_ENV}: "parquet.corrupt" cannot be downgraded`,
          `${ENV.quarantinePrefix}: must start with _`,
          `${ENV.eventBusName}: is required`,
          `${ENV.alertsTopicArn}: is required`,
        ].join('.*'),
      ),
    );
  });

  test.each([
    ['http://127.0.0.1:4010', true],
    ['http://localhost:4010', true],
    ['http://api.statsig.com', false],
    ['ftp://127.0.0.1', false],
  ])('one base URL rule for both sides: %s is accepted: %s', (baseUrl, accepted) => {
    const env = configToEnvironment(
      validatorConfig({
        eventBusName: 'bus',
        alertsTopicArn: TOPIC_ARN,
        readiness: { mode: 'api', secretArn: SECRET_ARN, baseUrl },
      }),
    );
    const build = () =>
      synthIngestion((stack) => ({
        readiness: Readiness.api({ secret: new secretsmanager.Secret(stack, 'Api'), baseUrl }),
      }));
    if (accepted) {
      expect(() => configFromEnvironment(env)).not.toThrow();
      expect(build).not.toThrow();
    } else {
      expect(() => configFromEnvironment(env)).toThrow(/must be an https URL/);
      expect(build).toThrow(/readiness: the Statsig API base URL must be an https URL/);
    }
  });
});
