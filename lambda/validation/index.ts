/** The validation core: plain TypeScript with no AWS in it. The Lambda, the CLI and the tests all call it. */
export { validateParquet, misplacedReport } from './validate';
export { DecoderUnavailable, shutdownValidator } from './worker/decode-pool';
export { classifyKey, MARKER_NAME, type KeyClass } from './keys';
export { byteSourceFromBytes, type ByteSource } from './byte-source';
export { DATASETS, DAILY_DATASETS, isDataset, type Dataset, type DailyDataset } from '../wire/datasets';
export { DEFAULT_ID_TYPES, TIMESTAMP_UNITS, type TimestampUnit } from '../wire/data-options';
export type { ValidationOptions } from './options';
export type { Finding, RuleCount, Severity, ValidationReport } from './report';
export { CONTRACTS, type DatasetContract } from './contracts';
export * from './calendar';
