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

/** A file the Lambda would not judge (a marker, `_temporary/`, a `.crc`), with the reason. */
export interface Ignored {
  readonly path: string;
  readonly reason: string;
}

/** What the paths named hold: the files to judge, the named files that are not data, the folders with nothing. */
export interface Expanded {
  readonly targets: Target[];
  readonly ignored: Ignored[];
  readonly emptyFolders: string[];
}

/** Hadoop's convention, which the Lambda's key routing follows: such names are never data. */
const isHidden = (name: string) => name.startsWith('_') || name.startsWith('.');

/**
 * Reads a path as S3 would read the same key, from its last `events/`, `metrics/` or `signals/` segment on, with the
 * Lambda's own routing (`classifyKey`): a local mirror of the bucket then validates exactly as it would in S3.
 */
export function targetOf(path: string): Target | Ignored {
  const segments = path.split(/[\\/]+/);
  const top = segments
    .map((segment, index) => ((DATASETS as readonly string[]).includes(segment) ? index : -1))
    .reduce((last, index) => Math.max(last, index), -1);
  if (top < 0) {
    const name = segments[segments.length - 1];
    return isHidden(name)
      ? { path, reason: `'${name}' is not data (names starting with _ or . are skipped)` }
      : { path };
  }
  const key = classifyKey(segments.slice(top).join('/'));
  switch (key.kind) {
    case 'data':
      return { path, dataset: key.dataset, day: key.day };
    case 'signals':
      return { path, dataset: 'signals' };
    case 'misplaced':
      return { path, dataset: key.dataset, misplaced: key };
    case 'marker':
      return { path, reason: `the completion marker of ${key.dataset} ${key.day}, not data` };
    case 'ignored':
      return { path, reason: key.reason };
  }
}

export const isIgnored = (entry: Target | Ignored): entry is Ignored => 'reason' in entry;

/**
 * The files named, with folders walked for every object the Lambda would judge, whatever its name or extension (in
 * name order; `_` and `.` folders are skipped whole, as the Lambda ignores every key under them).
 */
export async function expandPaths(paths: readonly string[]): Promise<Expanded> {
  const expanded: Expanded = { targets: [], ignored: [], emptyFolders: [] };
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      const found = (await walk(path)).map(targetOf).filter((entry) => !isIgnored(entry));
      if (found.length === 0) expanded.emptyFolders.push(path);
      expanded.targets.push(...found);
    } else {
      const entry = targetOf(path);
      if (isIgnored(entry)) expanded.ignored.push(entry);
      else expanded.targets.push(entry);
    }
  }
  return expanded;
}

async function walk(folder: string): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const path = folder.endsWith(sep) ? `${folder}${entry.name}` : join(folder, entry.name);
    if (entry.isDirectory() && !isHidden(entry.name)) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
