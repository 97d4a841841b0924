import { DeleteObjectsCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { listObjects } from '../../lambda/bucket/listing';
import { MARKER_NAME } from '../../lambda/validation';
import { validEvents, validMetrics } from '../handler/fixtures';
import { BUCKET, type World } from '../handler/world';

export type Dataset = 'events' | 'metrics';

/** Uploads a valid file into the day folder and delivers its notification; returns its key. */
export async function validFile(world: World, dataset: Dataset, day: string, name = 'part-0.parquet'): Promise<string> {
  const key = `${dataset}/${day}/${name}`;
  const etag = await world.upload(key, dataset === 'events' ? await validEvents(10) : await validMetrics(day, 10));
  await expectAcknowledged(world.notify(key, etag));
  return key;
}

/** Writes the day's `_SUCCESS` and delivers its notification. */
export async function marker(world: World, dataset: Dataset, day: string): Promise<void> {
  const key = `${dataset}/${day}/${MARKER_NAME}`;
  await world.upload(key, '');
  await expectAcknowledged(world.notify(key));
}

/** A valid file and the marker, for each dataset. */
export async function completeDay(
  world: World,
  day: string,
  datasets: readonly Dataset[] = ['events', 'metrics'],
): Promise<void> {
  for (const dataset of datasets) {
    await validFile(world, dataset, day);
    await marker(world, dataset, day);
  }
}

export async function expectAcknowledged(response: Promise<{ batchItemFailures: unknown[] }>): Promise<void> {
  expect((await response).batchItemFailures).toEqual([]);
}

export async function readObject(world: World, key: string): Promise<Uint8Array> {
  const response = await world.direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return response.Body!.transformToByteArray();
}

/** Readiness state lives in the bucket, so a test that wants a fresh start empties it. */
export async function emptyBucket(world: World): Promise<void> {
  const objects = (await listObjects(world.direct, BUCKET, '')).map(({ key }) => ({ Key: key }));
  if (objects.length > 0)
    await world.direct.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: objects } }));
  world.reset();
}

export function dayReadyEvents(world: World) {
  return world.recorder.events.filter((event) => event.detailType === 'Day Ready').map((event) => event.detail);
}

export function heldEvents(world: World) {
  return world.recorder.events.filter((event) => event.detailType === 'Readiness Held').map((event) => event.detail);
}
