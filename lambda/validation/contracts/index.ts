import type { Dataset } from '../../wire/datasets';
import { EVENTS_CONTRACT } from './events';
import { METRICS_CONTRACT } from './metrics';
import { SIGNALS_CONTRACT } from './signals';
import type { DatasetContract } from './types';

export const CONTRACTS: Readonly<Record<Dataset, DatasetContract>> = {
  events: EVENTS_CONTRACT,
  metrics: METRICS_CONTRACT,
  signals: SIGNALS_CONTRACT,
};

export { STATSIG_USER_KEY_TYPES } from './events';
export { FILE_RULES, REDSHIFT_MANIFEST } from './file-rules';
export { EVENTS_RULES, METRICS_RULES, RULE_CATALOGUE, SCHEMA_RULES, SIGNALS_RULES } from './rules';
export type {
  ColumnContract,
  DatasetContract,
  ParquetKind,
  RowRule,
  RuleSpec,
  Severity,
  StatsigUserRules,
  ValueRule,
} from './types';
