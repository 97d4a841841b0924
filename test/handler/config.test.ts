import { loadConfig } from '../../lambda/handler/config';
import { ENV } from '../../lambda/handler/environment-names';

const required = { [ENV.eventBusName]: 'bus', [ENV.alertsTopicArn]: 'arn:aws:sns:us-east-1:123456789012:alerts' };

describe('handler configuration', () => {
  test('defaults follow the product prefixes and Statsig defaults', () => {
    expect(loadConfig(required)).toEqual({
      datasets: ['events', 'metrics'],
      statePrefix: '_state/',
      readiness: { mode: 'signals' },
      idTypes: ['user_id', 'stable_id'],
      timestampUnit: 'seconds',
      quarantinePrefix: '_quarantine/',
      reportsPrefix: '_reports/',
      eventBusName: 'bus',
      alertsTopicArn: required[ENV.alertsTopicArn],
    });
  });

  test('lists and units are read from the environment', () => {
    const config = loadConfig({ ...required, [ENV.idTypes]: 'user_id, company_id', [ENV.timestampUnit]: 'milliseconds' });
    expect(config.idTypes).toEqual(['user_id', 'company_id']);
    expect(config.timestampUnit).toBe('milliseconds');
  });

  test('api readiness takes the secret ARN and the base URL, which defaults to Statsig\'s', () => {
    const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:statsig-AbCdEf';
    expect(loadConfig({ ...required, [ENV.readinessMode]: 'api', [ENV.statsigApiSecretArn]: secretArn, [ENV.datasets]: 'metrics' })).toMatchObject({
      datasets: ['metrics'],
      readiness: { mode: 'api', secretArn, baseUrl: 'https://api.statsig.com' },
    });
  });

  test('api readiness without a secret, an unknown dataset and a base URL ending in / are all named', () => {
    expect(() =>
      loadConfig({ ...required, [ENV.readinessMode]: 'api', [ENV.datasets]: 'events,signals', [ENV.statsigApiBaseUrl]: 'https://api.statsig.com/' }),
    ).toThrow(new RegExp(`${ENV.datasets}.*${ENV.statsigApiBaseUrl}: must not end with /.*${ENV.statsigApiSecretArn}: is required`));
  });

  test('a prefix Statsig would read is refused, naming every problem', () => {
    expect(() => loadConfig({ [ENV.quarantinePrefix]: 'events/quarantine/' })).toThrow(
      new RegExp(`${ENV.quarantinePrefix}.*must start with _.*${ENV.eventBusName}`),
    );
  });
});
