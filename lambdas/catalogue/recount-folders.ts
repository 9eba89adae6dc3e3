import type { Catalogue, FolderCounts, FolderRef, StoredFolderCounters } from '../adapters/catalogue-store';
import { addContributions, statsContributionOf } from '../core/image-record';

/** What a recount needs: the catalogue, a clock (epoch ms) and the reconciler's grace period. */
export interface RecountDeps {
  readonly catalogue: Catalogue;
  readonly now: () => number;
  /** A folder written more recently than this may have a write in flight: left for a later pass. */
  readonly graceMs: number;
}

/** What became of one folder's recount. */
export type FolderRecount = 'agreed' | 'corrected' | 'recent' | 'raced';

/** What the recounts of one run did, added to its report. */
export interface RecountTally {
  /** Folders whose counter item was corrected to the recount of their records. */
  countersCorrected: number;
  /** Folders left for a later pass: written within the grace period, or raced on every try. */
  countersDeferred: number;
}

// Tries of a folder whose counters a write changed between the read and the correction.
const RECOUNT_TRIES = 3;

/** A folder's own records (not those under it) summed as its counters should hold them. */
async function countRecords(catalogue: Catalogue, { client, folder }: FolderRef) {
  let counts: FolderCounts = statsContributionOf(undefined);
  let newestCreatedAt: string | undefined;
  let lastWrittenAt: string | undefined;
  let after: Readonly<Record<string, string>> | undefined;
  do {
    const page = await catalogue.listImages({ client, folder, recursive: false, limit: 1000, after });
    for (const record of page.records) {
      counts = addContributions(counts, statsContributionOf(record));
      if (newestCreatedAt === undefined || record.createdAt > newestCreatedAt)
        newestCreatedAt = record.createdAt;
      if (lastWrittenAt === undefined || record.updatedAt > lastWrittenAt) lastWrittenAt = record.updatedAt;
    }
    after = page.next;
  } while (after !== undefined);
  return { counts: { ...counts, newestCreatedAt }, lastWrittenAt };
}

const positive = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .filter(([, n]) => n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));
const sameCounts = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) =>
  JSON.stringify(positive(a)) === JSON.stringify(positive(b));

/**
 * The counters a folder's item should hold, given what it holds and the recount of its records;
 * undefined when it holds them already. A stored count of 0 is the same as none. The newest
 * creation is never lowered: it stays the newest image ever created there, deleted or not.
 */
export function correctedCounters(
  stored: StoredFolderCounters | undefined,
  recounted: FolderCounts,
): FolderCounts | undefined {
  const kept = stored?.newestCreatedAt;
  const newestCreatedAt =
    kept !== undefined && (recounted.newestCreatedAt === undefined || kept > recounted.newestCreatedAt)
      ? kept
      : recounted.newestCreatedAt;
  const agrees =
    stored !== undefined &&
    stored.images === recounted.images &&
    stored.servedBytes === recounted.servedBytes &&
    stored.originalBytes === recounted.originalBytes &&
    sameCounts(stored.contentTypes, recounted.contentTypes) &&
    sameCounts(stored.sources, recounted.sources) &&
    newestCreatedAt === kept;
  // A folder with neither records nor counters has nothing to correct.
  if (agrees || (stored === undefined && recounted.images === 0)) return undefined;
  return { ...recounted, newestCreatedAt };
}

/**
 * Recounts one folder and corrects its counter item (optimistic concurrency): given the item as
 * read (strongly consistent), sums the folder's records and writes the sum only if no write has
 * changed the item since it was read. A folder written within the grace period (its counters
 * or any of its records) is left alone: a write in flight there is between its record and its
 * counter update, and the recount would count it once too often or too few.
 */
async function recountFrom(
  deps: RecountDeps,
  folder: FolderRef,
  stored: StoredFolderCounters | undefined,
): Promise<FolderRecount> {
  const recent = (at: string | undefined) => at !== undefined && deps.now() - Date.parse(at) < deps.graceMs;
  if (recent(stored?.updatedAt)) return 'recent';
  const recount = await countRecords(deps.catalogue, folder);
  if (recent(recount.lastWrittenAt)) return 'recent';
  const corrected = correctedCounters(stored, recount.counts);
  if (corrected === undefined) return 'agreed';
  return (await deps.catalogue.correctFolderCounters(folder, stored, corrected)) ? 'corrected' : 'raced';
}

/** Reads a folder's counter item and recounts it (`recountFrom`). */
export async function recountFolder(deps: RecountDeps, folder: FolderRef): Promise<FolderRecount> {
  return recountFrom(deps, folder, await deps.catalogue.folderCounters(folder));
}

const idOf = (folder: FolderRef) => JSON.stringify([folder.client, folder.folder]);

/**
 * The folders one reconcile run recounts. A folder is recounted when the walk meets its counter
 * item, so once a pass whatever the number of runs; a folder without one (a crash before its
 * first counter update) when the walk meets its first record. Raced ones are tried again later.
 */
export class FolderRecounts {
  private readonly recounted = new Set<string>();
  private readonly checked = new Set<string>();
  private raced: FolderRef[] = [];

  constructor(
    private readonly deps: RecountDeps,
    private readonly tally: RecountTally,
  ) {}

  /** The walk met the folder's counter item: recounts it, unless this run did already. */
  async metCounters(folder: FolderRef): Promise<void> {
    const id = idOf(folder);
    if (this.recounted.has(id)) return;
    this.recounted.add(id);
    this.settle(folder, await recountFolder(this.deps, folder));
  }

  /** The walk met a record of the folder: recounts it only if it has no counter item (one read a run). */
  async metRecordIn(folder: FolderRef): Promise<void> {
    const id = idOf(folder);
    if (this.recounted.has(id) || this.checked.has(id)) return;
    this.checked.add(id);
    const stored = await this.deps.catalogue.folderCounters(folder);
    if (stored !== undefined) return;
    this.recounted.add(id);
    this.settle(folder, await recountFrom(this.deps, folder, undefined));
  }

  /**
   * Tries again the folders a write raced, later in the run (each up to RECOUNT_TRIES in all);
   * those still raced, or not reached before `stopping`, are left to the next pass.
   */
  async retryRaced(stopping: () => boolean): Promise<void> {
    for (let tries = 1; tries < RECOUNT_TRIES && this.raced.length > 0; tries++) {
      const again = this.raced;
      this.raced = [];
      for (const [i, folder] of again.entries()) {
        if (stopping()) {
          this.raced.push(...again.slice(i));
          break;
        }
        this.settle(folder, await recountFolder(this.deps, folder));
      }
    }
    this.tally.countersDeferred += this.raced.length;
    this.raced = [];
  }

  private settle(folder: FolderRef, outcome: FolderRecount): void {
    if (outcome === 'corrected') this.tally.countersCorrected += 1;
    else if (outcome === 'recent') this.tally.countersDeferred += 1;
    else if (outcome === 'raced') this.raced.push(folder);
  }
}
