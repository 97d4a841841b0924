import { isCalendarDay } from './calendar';
import { FILE_RULES, type RuleSpec } from './contracts';
import { type Dataset, type DailyDataset, isDataset } from '../wire/datasets';

/**
 * What an object key in the bucket is, by the layout Statsig reads (spec §1). The Lambda routes S3 events with it,
 * and the CLI derives the dataset and day of a local mirror of the bucket with it, so both agree on every path.
 */
export type KeyClass =
  | { readonly kind: 'data'; readonly dataset: DailyDataset; readonly day: string }
  | { readonly kind: 'signals'; readonly dataset: 'signals' }
  | { readonly kind: 'marker'; readonly dataset: DailyDataset; readonly day: string }
  | {
      readonly kind: 'misplaced';
      readonly dataset: Dataset;
      readonly rule: RuleSpec;
      readonly problem: string;
      readonly hint: string;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

/** The completion marker Spark, Glue and EMR write when a job commits. */
export const MARKER_NAME = '_SUCCESS';

const HIVE_SEGMENT = /^[^=/]+=/;

/** Hadoop's convention, which Statsig's Spark reader follows: names starting with `_` or `.` are not data. */
function isHidden(segment: string): boolean {
  return segment.startsWith('_') || segment.startsWith('.') || segment.endsWith('.crc');
}

/**
 * Classifies a key relative to the bucket root (`events/2024-05-01/part-0.parquet`). Keys must already be decoded
 * (S3 notifications URL-encode them).
 */
export function classifyKey(key: string): KeyClass {
  if (key.endsWith('/')) return { kind: 'ignored', reason: 'folder object' };
  const segments = key.split('/');
  const [top, ...rest] = segments;
  if (!isDataset(top)) return { kind: 'ignored', reason: `outside the prefixes Statsig reads (${top}/)` };
  const hidden = rest.findIndex(isHidden);
  if (top !== 'signals' && rest.length === 2 && rest[1] === MARKER_NAME && isCalendarDay(rest[0])) {
    return { kind: 'marker', dataset: top, day: rest[0] };
  }
  if (hidden >= 0)
    return { kind: 'ignored', reason: `'${rest[hidden]}' is not data (names starting with _ or . are skipped)` };
  const hive = rest.slice(0, -1).find((segment) => HIVE_SEGMENT.test(segment));
  if (hive) return hiveFolder(top, hive);

  if (top === 'signals') {
    if (rest.length === 1) return { kind: 'signals', dataset: 'signals' };
    return {
      kind: 'misplaced',
      dataset: top,
      rule: FILE_RULES.signalsFolder,
      problem: `signals files must sit directly in signals/, not in the sub-folder '${rest.slice(0, -1).join('/')}/'`,
      hint: `write it as signals/<day>.parquet`,
    };
  }
  if (rest.length === 2 && isCalendarDay(rest[0])) return { kind: 'data', dataset: top, day: rest[0] };
  return {
    kind: 'misplaced',
    dataset: top,
    rule: FILE_RULES.dayFolder,
    problem:
      rest.length === 1
        ? `the file is not in a day folder`
        : `'${rest.slice(0, -1).join('/')}' is not a single day folder named YYYY-MM-DD`,
    hint: `write it as ${top}/YYYY-MM-DD/${rest[rest.length - 1]}, with the day the data belongs to`,
  };
}

function hiveFolder(dataset: Dataset, segment: string): KeyClass {
  const value = segment.slice(segment.indexOf('=') + 1);
  const suggestion =
    dataset === 'signals'
      ? 'signals/<day>.parquet'
      : `${dataset}/${isCalendarDay(value) ? value : 'YYYY-MM-DD'}/<name>.parquet`;
  return {
    kind: 'misplaced',
    dataset,
    rule: FILE_RULES.hiveFolder,
    problem: `'${segment}/' is a Hive-style partition folder: Spark's partition discovery would add a '${segment.slice(0, segment.indexOf('='))}' column that clashes with the data's own columns`,
    hint: `use a plain folder: ${suggestion}`,
  };
}
