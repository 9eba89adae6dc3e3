import type { Catalogue } from '../adapters/catalogue-store';
import type { ImageStore } from '../adapters/image-store';
import { type ImageRecord, keysOfImage } from '../core/image-record';
import { ORIGINALS_PREFIX, PRIVATE_KEY_PREFIX } from '../core/object-namespace';
import { CLIENT_NAME_PATTERN } from '../core/object-keys';
import { backfillRecord } from './backfill-record';
import { deleteUnderPrefix } from './delete-image';
import { cdnRenditionsPrefixOf } from '../core/cdn-rendition';
import { FolderRecounts, type RecountTally } from './recount-folders';

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
export interface ReconcileReport extends RecountTally {
  /** Records whose missing objects were dropped from them. */
  recordsRepaired: number;
  /** Records with no object left, removed. */
  recordsRemoved: number;
  /** Objects of the catalogue's era with no record (a crash between the two), deleted. */
  objectsRemoved: number;
  /** Objects stored before the catalogue, recorded. */
  recordsBackfilled: number;
  /** Key links a record lacked (a crash between the record and its links), written again. */
  keyLinksRestored: number;
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

/**
 * Where a reconcile pass stopped: in the records (after the record with this table key) or in
 * the bucket (after this object key). A run that stops hands it to the next one.
 */
export type ReconcileCursor =
  | { readonly phase: 'records'; readonly after?: Readonly<Record<string, string>> | undefined }
  | { readonly phase: 'objects'; readonly startAfter?: string | undefined };

/** What one bounded run changed, and where the next run goes on (none: the pass is complete). */
export interface ReconcileRun {
  readonly report: ReconcileReport;
  readonly next?: ReconcileCursor | undefined;
}

/** A report of nothing changed. */
export const emptyReport = (): ReconcileReport => ({
  recordsRepaired: 0,
  recordsRemoved: 0,
  objectsRemoved: 0,
  recordsBackfilled: 0,
  keyLinksRestored: 0,
  countersCorrected: 0,
  countersDeferred: 0,
});

/**
 * Repairs one record: drops its keys whose objects are gone (removes it when none is left) and
 * writes its missing key links; answers the keys it still holds (all of them while it is young).
 */
async function repairRecord(deps: ReconcileDeps, report: ReconcileReport, record: ImageRecord) {
  const keys = keysOfImage(record);
  if (deps.now() - Date.parse(record.updatedAt) < deps.graceMs) return keys;
  const present = new Set<string>();
  const headEach = async () => {
    for (const key of keys) if (await deps.store.headObject(key)) present.add(key);
  };
  // Links are read (and the missing ones written) while the objects are headed, so on AWS their
  // round trips overlap. A record then removed takes its links with it; a link of a key then
  // dropped is ignored, as findByKey ignores any link whose record no longer holds the key.
  const [, restored] = await Promise.all([headEach(), deps.catalogue.restoreKeyLinks(record)]);
  report.keyLinksRestored += restored;
  const repaired = withoutMissing(record, present);
  if (repaired === undefined) {
    for (const key of present) await deps.store.deleteObject(key);
    await deps.catalogue.deleteImage(record);
    report.recordsRemoved += 1;
    return [];
  }
  if (present.size < keys.length) {
    await deps.catalogue.saveImage(record, repaired);
    report.recordsRepaired += 1;
  }
  return keysOfImage(repaired);
}

/**
 * Walks the records and folder counters from `after`: `done`, or the cursor of the item it
 * stopped before. Each record is repaired; each folder's counters are recounted (`FolderRecounts`).
 */
async function repairRecords(
  deps: ReconcileDeps,
  report: ReconcileReport,
  recorded: Set<string>,
  from: Readonly<Record<string, string>> | undefined,
  stopping: () => boolean,
): Promise<'done' | ReconcileCursor> {
  const recounts = new FolderRecounts(deps, report);
  let after = from;
  do {
    const page = await deps.catalogue.walkCatalogue(after);
    for (const entry of page.entries) {
      if (stopping()) {
        await recounts.retryRaced(stopping);
        return { phase: 'records', after };
      }
      if ('counters' in entry) await recounts.metCounters(entry.counters);
      else {
        await recounts.metRecordIn(entry.record);
        for (const key of await repairRecord(deps, report, entry.record)) recorded.add(key);
      }
      after = entry.at;
    }
    after = page.next;
  } while (after !== undefined);
  await recounts.retryRaced(stopping);
  return 'done';
}

/**
 * Whether a catalogue-made object belongs to a record, asked of the catalogue itself: its image
 * (the `_originals/` name, or the `image` metadata of a rendition) holds the key. A run that did
 * not walk every record itself cannot answer from the keys it saw.
 */
async function isRecorded(deps: ReconcileDeps, key: string, name: string): Promise<boolean> {
  if (key.startsWith(ORIGINALS_PREFIX)) {
    const client = key.slice(ORIGINALS_PREFIX.length, key.lastIndexOf('/'));
    const record = await deps.catalogue.getImage(client, name.slice(0, name.indexOf('.')));
    return record?.original.key === key;
  }
  const image = (await deps.store.headObject(key))?.metadata.image;
  const record =
    image === undefined
      ? await deps.catalogue.findByKey(key)
      : await deps.catalogue.getImage(key.slice(0, key.indexOf('/')), image);
  return record !== undefined && keysOfImage(record).includes(key);
}

/** Repairs one stored object that the records walked did not name. */
async function repairObject(
  deps: ReconcileDeps,
  report: ReconcileReport,
  object: { readonly key: string; readonly lastModified?: Date | undefined },
  knowsEveryRecord: boolean,
): Promise<void> {
  const key = object.key;
  const young =
    object.lastModified !== undefined && deps.now() - object.lastModified.getTime() < deps.graceMs;
  const client = key.slice(0, key.indexOf('/'));
  const name = key.slice(key.lastIndexOf('/') + 1);
  const orphan = async () => !young && (knowsEveryRecord || !(await isRecorded(deps, key, name)));
  if (key.startsWith(ORIGINALS_PREFIX)) {
    if (OPAQUE_NAME.test(name) && (await orphan())) {
      await deps.store.deleteObject(key);
      report.objectsRemoved += 1;
    }
    return;
  }
  if (key.startsWith(PRIVATE_KEY_PREFIX) || !CLIENT_NAME_PATTERN.test(client) || young) return;
  if (OPAQUE_NAME.test(name)) {
    if (!(await orphan())) return;
    await deps.store.deleteObject(key);
    await deleteUnderPrefix(deps.store, cdnRenditionsPrefixOf(key));
    report.objectsRemoved += 1;
    return;
  }
  const head = await deps.store.headObject(key);
  if (head && (await backfillRecord(deps, client, head)) === 'recorded') report.recordsBackfilled += 1;
}

/**
 * One bounded run of the reconciler, from `from` (a new pass by default) until the pass is
 * complete or `stopping` says so (checked before each record and object): answers what it
 * changed and the cursor the next run starts from. Records first: a record whose objects are
 * missing (a crash after the record was written, or during a delete) loses them, or goes when
 * none is left. Then every stored object: one the catalogue made but nothing records (the
 * reverse crash) is deleted with its CDN renditions; one stored before the catalogue is
 * recorded (the backfill). Along the records, each folder's counters are recounted and its
 * records' missing key links written (a crash between a record and those). Idempotent: a
 * second pass changes nothing.
 */
export async function reconcileWithin(
  deps: ReconcileDeps,
  from: ReconcileCursor = { phase: 'records' },
  stopping: () => boolean = () => false,
): Promise<ReconcileRun> {
  const report = emptyReport();
  const recorded = new Set<string>();
  // Only a run that walked every record itself may judge objects by the keys it saw.
  const knowsEveryRecord = from.phase === 'records' && from.after === undefined;
  if (from.phase === 'records') {
    const records = await repairRecords(deps, report, recorded, from.after, stopping);
    if (records !== 'done') return { report, next: records };
  }
  let startAfter = from.phase === 'objects' ? from.startAfter : undefined;
  for (;;) {
    const page = await deps.store.listObjects({ prefix: '', startAfter, limit: 1000 });
    for (const object of page.objects) {
      if (stopping()) return { report, next: { phase: 'objects', startAfter } };
      if (!recorded.has(object.key)) await repairObject(deps, report, object, knowsEveryRecord);
      startAfter = object.key;
    }
    if (!page.truncated || page.objects.length === 0) return { report };
  }
}

/** Makes the bucket and the catalogue agree in one whole pass (`reconcileWithin`, unbounded). */
export async function reconcileCatalogue(deps: ReconcileDeps): Promise<ReconcileReport> {
  return (await reconcileWithin(deps)).report;
}
