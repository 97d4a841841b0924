import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { classifyKey, DATASETS, type Dataset, type KeyClass } from '../../lambda/validation';

/** A file to validate, with what its place in a mirror of the bucket says about it. */
export interface Target {
  readonly path: string;
  readonly dataset?: Dataset;
  readonly day?: string;
  /** Set when the path breaks the bucket layout (a Hive folder, no day folder). */
  readonly misplaced?: KeyClass & { kind: 'misplaced' };
}

/**
 * Reads a path as S3 would read the same key: from its last `events/`, `metrics/` or `signals/` segment on. A local
 * mirror of the bucket then validates exactly as it would in S3.
 */
export function targetOf(path: string): Target {
  const segments = path.split(/[\\/]+/);
  const top = segments
    .map((segment, index) => ((DATASETS as readonly string[]).includes(segment) ? index : -1))
    .filter((index) => index >= 0)
    .pop();
  if (top === undefined) return { path };
  const key = classifyKey(segments.slice(top).join('/'));
  switch (key.kind) {
    case 'data':
      return { path, dataset: key.dataset, day: key.day };
    case 'signals':
      return { path, dataset: 'signals' };
    case 'misplaced':
      return { path, dataset: key.dataset, misplaced: key };
    default:
      return { path, dataset: segments[top] as Dataset };
  }
}

/** The files named, with folders walked for `*.parquet` (in name order, skipping `_` and `.` entries as Spark does). */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) files.push(...(await walk(path)));
    else files.push(path);
  }
  return files;
}

async function walk(folder: string): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const path = folder.endsWith(sep) ? `${folder}${entry.name}` : join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && entry.name.endsWith('.parquet')) files.push(path);
  }
  return files;
}
