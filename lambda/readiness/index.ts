import type { Logger } from '@aws-lambda-powertools/logger';
import type { Announcer } from '../bucket/announcements';
import type { AwsClients } from '../bucket/aws-clients';
import type { ValidatorConfig } from '../wire/config';
import type { RetryObserver, RetryPolicy } from '../bucket/retry';
import { ReadinessCoordinator } from './coordinator';
import { markDataReadyTarget } from './mark-data-ready';
import { ServerSecret } from './server-secret';
import { signalsTarget } from './signals-target';
import type { PublishTarget } from './targets';

export interface ReadinessDeps {
  readonly config: ValidatorConfig;
  readonly clients: AwsClients;
  readonly announcer: Announcer;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly onRetry: RetryObserver;
  readonly now: () => number;
}

/** Readiness as the configuration asks: signals (one target for all datasets) or api (one target per dataset). */
export function createReadiness(deps: ReadinessDeps): ReadinessCoordinator {
  const { clients } = deps;
  return new ReadinessCoordinator({
    s3: clients.s3,
    config: deps.config,
    targets: publishTargets(deps),
    announcer: deps.announcer,
    warn: (message, extra) => deps.logger.warn(message, extra),
    now: deps.now,
  });
}

function publishTargets({ config, clients, now, retry, onRetry }: ReadinessDeps): PublishTarget[] {
  if (config.readiness.mode === 'signals') return [signalsTarget(clients.s3, config.datasets)];
  const secret = new ServerSecret(clients.secretsManager, config.readiness.secretArn, now);
  const api = { baseUrl: config.readiness.baseUrl, secret, retry, onRetry };
  return config.datasets.map((dataset) => markDataReadyTarget(dataset, api));
}
