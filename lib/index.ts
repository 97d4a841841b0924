export { StatsigDataset, TimestampUnit } from './data-options';
export type { IngestionMetricOptions } from './metric-options';
export type { StatsigS3IngestionProps } from './props';
export { Readiness, ReadinessMode } from './readiness';
export type { ApiReadinessOptions } from './readiness';
export { Reader, ReaderKind } from './reader';
export { ReaderListScope } from './reader-list-scope';
export { StatsigS3Ingestion } from './statsig-s3-ingestion';
