import { normalizeEtag } from '../bucket/object-version';
import { READINESS_STATE_FOLDERS } from '../wire/environment';
import type { ListedObject } from '../bucket/listing';
import { VERDICT_BLOCKS, type VerdictKind } from './wait-reasons';

/**
 * The verdict index: one empty object per judged file version, `<state prefix>verdicts/<key>/<ETag>.<verdict>`.
 * Listing `<state prefix>verdicts/<dataset>/<day>/` returns the verdict of every file of the day in the keys
 * themselves, a thousand per request, so deciding a day never reads a report; and each entry is written once by the
 * invocation that judged the file, so verdicts never contend for one object.
 */
export function verdictIndexPrefix(statePrefix: string, folderOrKey: string): string {
  return `${statePrefix}${READINESS_STATE_FOLDERS.verdicts}${folderOrKey}`;
}

export function verdictEntryKey(statePrefix: string, key: string, etag: string, verdict: VerdictKind): string {
  return `${verdictIndexPrefix(statePrefix, key)}/${normalizeEtag(etag)}.${verdict}`;
}

/** Verdicts by file key, then by ETag. */
export type VerdictsByKey = ReadonlyMap<string, ReadonlyMap<string, VerdictKind>>;

/**
 * Reads index entries back. One ETag judged twice (a quarantined file restored and judged anew) keeps the later
 * entry; within the same second, the blocking one, as a listing cannot tell which came last.
 */
export function verdictsFromListing(statePrefix: string, entries: readonly ListedObject[]): VerdictsByKey {
  const root = verdictIndexPrefix(statePrefix, '');
  const latest = new Map<string, Map<string, { verdict: VerdictKind; second: number }>>();
  for (const entry of entries) {
    const slash = entry.key.lastIndexOf('/');
    const name = entry.key.slice(slash + 1);
    const dot = name.lastIndexOf('.');
    const verdict = name.slice(dot + 1);
    if (!entry.key.startsWith(root) || dot < 1 || !(verdict in VERDICT_BLOCKS)) continue;
    const key = entry.key.slice(root.length, slash);
    const etag = name.slice(0, dot);
    const second = Math.floor(entry.lastModified.getTime() / 1000);
    const byEtag = latest.get(key) ?? new Map<string, { verdict: VerdictKind; second: number }>();
    const seen = byEtag.get(etag);
    const later =
      !seen || second > seen.second || (second === seen.second && VERDICT_BLOCKS[verdict as VerdictKind] !== undefined);
    if (later) byEtag.set(etag, { verdict: verdict as VerdictKind, second });
    latest.set(key, byEtag);
  }
  return new Map(
    [...latest].map(([key, byEtag]) => [key, new Map([...byEtag].map(([etag, seen]) => [etag, seen.verdict]))]),
  );
}
