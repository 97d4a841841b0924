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

export type { ColumnContract, DatasetContract, RowRule, ValueRule } from './types';
