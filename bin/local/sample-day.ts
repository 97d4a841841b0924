import { randomUUID } from 'node:crypto';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { statsigDayStartMs } from '../../lambda/validation';

/** A file as a producer uploads it: its key in the bucket and its bytes. */
export interface SampleFile {
  readonly key: string;
  readonly body: Uint8Array;
  /** What a reader of the local run should notice about it. */
  readonly note: string;
}

export interface SampleDay {
  readonly day: string;
  readonly files: readonly SampleFile[];
  /** The third metrics file as it should be: what the producer uploads after reading a rejection. */
  readonly correction: SampleFile;
}

const USERS = 400;
const EVENT_NAMES = ['page_view', 'add_to_cart', 'checkout', 'purchase'];
const METRICS = ['revenue', 'sessions', 'conversion'];

/** A small deterministic generator, so every run tells the same story. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function eventsFile(day: string, part: number, rows: number): Uint8Array {
  const random = generator(part + 1);
  const dayStartSeconds = statsigDayStartMs(day) / 1000;
  const timestamps: bigint[] = [];
  const names: string[] = [];
  const users: string[] = [];
  const values: (string | null)[] = [];
  const metadata: string[] = [];
  const uuids: string[] = [];
  for (let i = 0; i < rows; i++) {
    const name = EVENT_NAMES[Math.floor(random() * EVENT_NAMES.length)];
    timestamps.push(BigInt(Math.floor(dayStartSeconds + random() * 86_399)));
    names.push(name);
    users.push(JSON.stringify({ userID: `user-${Math.floor(random() * USERS)}`, country: 'US' }));
    values.push(name === 'purchase' ? (random() * 100).toFixed(2) : null);
    metadata.push(JSON.stringify({ source: random() < 0.5 ? 'web' : 'ios' }));
    uuids.push(randomUUID());
  }
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'timestamp', data: timestamps, type: 'INT64' },
        { name: 'event_name', data: names, type: 'STRING' },
        { name: 'user', data: users, type: 'STRING' },
        { name: 'event_value', data: values, type: 'STRING' },
        { name: 'event_metadata', data: metadata, type: 'STRING' },
        { name: 'timeuuid', data: uuids, type: 'STRING' },
      ],
    }),
  );
}

/** One row per user and metric, with `idType` as given: the broken file spells it as a hurried producer might. */
function metricsFile(day: string, firstUser: number, users: number, idType: string): Uint8Array {
  const random = generator(firstUser + 7);
  const columns = {
    unit_id: [] as string[],
    metric_name: [] as string[],
    value: [] as (number | null)[],
    numerator: [] as (number | null)[],
    denominator: [] as (number | null)[],
  };
  for (let user = firstUser; user < firstUser + users; user++) {
    for (const metric of METRICS) {
      columns.unit_id.push(`user-${user}`);
      columns.metric_name.push(metric);
      const ratio = metric === 'conversion';
      columns.value.push(ratio ? null : Math.round(random() * 10_000) / 100);
      columns.numerator.push(ratio ? Math.floor(random() * 3) : null);
      columns.denominator.push(ratio ? 3 : null);
    }
  }
  const rows = columns.unit_id.length;
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'unit_id', data: columns.unit_id, type: 'STRING' },
        { name: 'id_type', data: new Array<string>(rows).fill(idType), type: 'STRING' },
        { name: 'date', data: new Array<string>(rows).fill(day), type: 'STRING' },
        { name: 'metric_name', data: columns.metric_name, type: 'STRING' },
        { name: 'metric_value', data: columns.value, type: 'DOUBLE' },
        { name: 'numerator', data: columns.numerator, type: 'DOUBLE' },
        { name: 'denominator', data: columns.denominator, type: 'DOUBLE' },
      ],
    }),
  );
}

/**
 * A realistic day: two events files and three metrics files. With `mistake`, the third metrics file spells the ID
 * type wrong, and `correction` is that file fixed.
 */
export function sampleDay(day: string, mistake: boolean): SampleDay {
  const broken = `metrics/${day}/part-00002.parquet`;
  const fixed: SampleFile = {
    key: broken,
    body: metricsFile(day, (USERS * 3) / 4, USERS / 4, 'user_id'),
    note: `${(USERS / 4) * METRICS.length} metric rows`,
  };
  return {
    day,
    files: [
      { key: `events/${day}/part-00000.parquet`, body: eventsFile(day, 0, 2_000), note: '2,000 events' },
      { key: `events/${day}/part-00001.parquet`, body: eventsFile(day, 1, 2_000), note: '2,000 events' },
      {
        key: `metrics/${day}/part-00000.parquet`,
        body: metricsFile(day, 0, USERS / 2, 'user_id'),
        note: `${(USERS / 2) * METRICS.length} metric rows`,
      },
      {
        key: `metrics/${day}/part-00001.parquet`,
        body: metricsFile(day, USERS / 2, USERS / 4, 'user_id'),
        note: `${(USERS / 4) * METRICS.length} metric rows`,
      },
      mistake
        ? {
            key: broken,
            body: metricsFile(day, (USERS * 3) / 4, USERS / 4, 'userID'),
            note: "id_type written 'userID', a typo for user_id",
          }
        : fixed,
    ],
    correction: { ...fixed, note: 'the same rows, id_type user_id' },
  };
}
