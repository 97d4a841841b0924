/** A dataset whose days Statsig loads and whose readiness the product publishes. */
export enum StatsigDataset {
  EVENTS = 'events',
  METRICS = 'metrics',
}

/** The unit of integer `timestamp` values in events. */
export enum TimestampUnit {
  SECONDS = 'seconds',
  MILLISECONDS = 'milliseconds',
}
