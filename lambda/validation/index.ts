/** The validation core: plain TypeScript with no AWS in it. The Lambda, the CLI and the tests all call it. */
export { validateParquet } from './validate';
export { isTooLarge, misplacedReport } from './build-report';
export { describeFinding } from './findings';
export { DecodeFailure, DecoderUnavailable, type Decoder, type TimeLeft } from './decoder';
export { DecodePool, type DecodePoolOptions } from './worker/decode-pool';
export { COMPILED_DECODER_SCRIPT, type NodeScript } from './worker/decoder-script';
export { classifyKey, MARKER_NAME, type KeyClass } from './keys';
export { byteSourceFromBytes, type ByteSource } from './byte-source';
export { DATASETS, DAILY_DATASETS, isDataset, type Dataset, type DailyDataset } from '../wire/datasets';
export { DEFAULT_ID_TYPES, TIMESTAMP_UNITS, type TimestampUnit } from '../wire/data-options';
export type { ValidationOptions } from './options';
export type { Finding, RuleCount, ValidationReport } from './report';
export { CONTRACTS, RULE_CATALOGUE, type DatasetContract, type RuleSpec, type Severity } from './contracts';
export * from './calendar';
