import { loadConfig } from '../../lambda/handler/config';
import { ENV } from '../../lambda/handler/environment-names';

const required = { [ENV.eventBusName]: 'bus', [ENV.alertsTopicArn]: 'arn:aws:sns:us-east-1:123456789012:alerts' };

describe('handler configuration', () => {
  test('defaults follow the product prefixes and Statsig defaults', () => {
    expect(loadConfig(required)).toEqual({
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

  test('a prefix Statsig would read is refused, naming every problem', () => {
    expect(() => loadConfig({ [ENV.quarantinePrefix]: 'events/quarantine/' })).toThrow(
      new RegExp(`${ENV.quarantinePrefix}.*must start with _.*${ENV.eventBusName}`),
    );
  });
});
