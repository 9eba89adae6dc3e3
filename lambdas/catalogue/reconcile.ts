import type { Catalogue } from '../adapters/catalogue-store';
import type { ImageStore } from '../adapters/image-store';
import { type ImageRecord, keysOfImage } from '../core/image-record';
import { ORIGINALS_PREFIX, PRIVATE_KEY_PREFIX } from '../core/object-namespace';
import { CLIENT_NAME_PATTERN } from '../core/object-keys';
import { backfillRecord } from './backfill-record';
import { deleteUnderPrefix } from './delete-image';
import { cdnRenditionsPrefixOf } from '../core/cdn-rendition';

/** What the reconciler needs: both sides, a clock, and how long a write may be in flight. */
export interface ReconcileDeps {
  readonly store: ImageStore;
  readonly catalogue: Catalogue;
  /** Epoch milliseconds now. */
  readonly now: () => number;
  /** Records and objects younger than this may belong to a write in flight: left alone. */
  readonly graceMs: number;
}

/** What one run changed. */
export interface ReconcileReport {
  /** Records whose missing objects were dropped from them. */
  recordsRepaired: number;
  /** Records with no object left, removed. */
  recordsRemoved: number;
  /** Objects of the catalogue's era with no record (a crash between the two), deleted. */
  objectsRemoved: number;
  /** Objects stored before the catalogue, recorded. */
  recordsBackfilled: number;
}

// A catalogue-era name: 40 hex digits (a legacy content address has 64).
const OPAQUE_NAME = /^[0-9a-f]{40}\.[a-z0-9]{2,5}$/;

/** The record without the keys whose objects are gone; undefined when none is left. */
function withoutMissing(record: ImageRecord, present: ReadonlySet<string>): ImageRecord | undefined {
  const profiles = Object.fromEntries(Object.entries(record.profiles).filter(([, p]) => present.has(p.key)));
  const first = Object.values(profiles)[0];
  if (!first) return undefined;
  const originalKey = record.original.key;
  return {
    ...record,
    profiles,
    key: present.has(record.key) ? record.key : first.key,
    original: {
      ...record.original,
      key: originalKey !== undefined && present.has(originalKey) ? originalKey : undefined,
    },
  };
}

async function repairRecords(
  deps: ReconcileDeps,
  report: ReconcileReport,
  recorded: Set<string>,
): Promise<void> {
  let after: Readonly<Record<string, string>> | undefined;
  do {
    const page = await deps.catalogue.scanImages(after);
    for (const record of page.records) {
      const keys = keysOfImage(record);
      if (deps.now() - Date.parse(record.updatedAt) < deps.graceMs) {
        for (const key of keys) recorded.add(key);
        continue;
      }
      const present = new Set<string>();
      for (const key of keys) if (await deps.store.headObject(key)) present.add(key);
      const repaired = withoutMissing(record, present);
      if (repaired === undefined) {
        for (const key of present) await deps.store.deleteObject(key);
        await deps.catalogue.deleteImage(record);
        report.recordsRemoved += 1;
        continue;
      }
      if (present.size < keys.length) {
        await deps.catalogue.saveImage(record, repaired);
        report.recordsRepaired += 1;
      }
      for (const key of keysOfImage(repaired)) recorded.add(key);
    }
    after = page.next;
  } while (after !== undefined);
}

/**
 * Makes the bucket and the catalogue agree. Records first: a record whose objects are missing
 * (a crash after the record was written, or during a delete) loses them, or goes when none is
 * left. Then every stored object: one the catalogue made but nothing records (the reverse
 * crash) is deleted with its CDN renditions; one stored before the catalogue is recorded
 * (the backfill). Idempotent: a second run changes nothing.
 */
export async function reconcileCatalogue(deps: ReconcileDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    recordsRepaired: 0,
    recordsRemoved: 0,
    objectsRemoved: 0,
    recordsBackfilled: 0,
  };
  const recorded = new Set<string>();
  await repairRecords(deps, report, recorded);
  let startAfter: string | undefined;
  for (;;) {
    const page = await deps.store.listObjects({ prefix: '', startAfter, limit: 1000 });
    for (const object of page.objects) {
      const key = object.key;
      if (recorded.has(key)) continue;
      const young =
        object.lastModified !== undefined && deps.now() - object.lastModified.getTime() < deps.graceMs;
      const slash = key.indexOf('/');
      const client = key.slice(0, slash);
      const name = key.slice(key.lastIndexOf('/') + 1);
      if (key.startsWith(ORIGINALS_PREFIX)) {
        if (OPAQUE_NAME.test(name) && !young) {
          await deps.store.deleteObject(key);
          report.objectsRemoved += 1;
        }
        continue;
      }
      if (key.startsWith(PRIVATE_KEY_PREFIX) || !CLIENT_NAME_PATTERN.test(client) || young) continue;
      if (OPAQUE_NAME.test(name)) {
        await deps.store.deleteObject(key);
        await deleteUnderPrefix(deps.store, cdnRenditionsPrefixOf(key));
        report.objectsRemoved += 1;
        continue;
      }
      const head = await deps.store.headObject(key);
      if (head && (await backfillRecord(deps, client, head)) === 'recorded') report.recordsBackfilled += 1;
    }
    if (!page.truncated || page.objects.length === 0) return report;
    startAfter = page.objects.at(-1)!.key;
  }
}
