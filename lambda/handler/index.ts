import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createAwsClients } from '../bucket/aws-clients';
import { COMPILED_DECODER_SCRIPT } from '../validation';
import { configFromEnvironment } from '../wire/config';
import { functionDecoder } from './function-decoder';
import { createHandler } from './handler';
import { DEFAULT_RETRY_POLICY } from '../bucket/retry';
import { observeRetries } from './telemetry';

/**
 * The Lambda entry point. Cold start does no network I/O: the environment is parsed and the clients are built, and
 * the first AWS call opens the first connection. Service name and metric namespace come from Powertools' standard
 * variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE), set by the construct. The decoder processes start
 * with the first file and live as long as the execution environment: nothing here closes them.
 */
const logger = new Logger();
const metrics = new Metrics();
const onRetry = observeRetries(logger, metrics);

const config = configFromEnvironment(process.env);

export const handler = createHandler({
  config,
  clients: createAwsClients({ retry: DEFAULT_RETRY_POLICY, onRetry }),
  logger,
  metrics,
  retry: DEFAULT_RETRY_POLICY,
  onRetry,
  decoder: functionDecoder(config, COMPILED_DECODER_SCRIPT),
});
