/** The three datasets Statsig reads, each under the top-level prefix of the same name. */
export const DATASETS = ['events', 'metrics', 'signals'] as const;
export type Dataset = (typeof DATASETS)[number];

/** The datasets that arrive in day folders and are closed by a `_SUCCESS` marker. */
export const DAILY_DATASETS = ['events', 'metrics'] as const;
export type DailyDataset = (typeof DAILY_DATASETS)[number];

export function isDataset(value: string): value is Dataset {
  return (DATASETS as readonly string[]).includes(value);
}
