import { PRODUCT_PREFIXES } from '../../lambda/wire/environment';
import { DATASETS } from '../../lambda/wire/datasets';

/** The prefixes Statsig reads: `events/`, `metrics/`, `signals/`. */
export const STATSIG_PREFIXES: readonly string[] = DATASETS.map((dataset) => `${dataset}/`);

/** The product's own prefixes, which the reader must never see. */
export const OWN_PREFIXES: readonly string[] = Object.values(PRODUCT_PREFIXES);

/** The signals prefix, which the validator writes in `signals` readiness mode. */
export const SIGNALS_PREFIX = 'signals/';

/** `events/` → `events/*`: an object-ARN or `s3:prefix` pattern covering everything under the prefix. */
export function under(prefix: string): string {
  return `${prefix}*`;
}
