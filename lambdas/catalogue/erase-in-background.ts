import { randomUUID } from 'node:crypto';
import type { Catalogue } from '../adapters/catalogue-store';
import type { Erasure, ErasureLog } from '../adapters/erasure-log';
import type { DeleteImageDeps } from './delete-image';
import { eraseFolder } from './erase-folder';

/** The event a background erasure is continued by: which erasure, nothing else. */
export interface ErasureEvent {
  readonly erasure: { readonly client: string; readonly id: string };
}

/** Whether a function's event is a background erasure's, not an API request. */
export function isErasureEvent(event: unknown): event is ErasureEvent {
  const erasure = (event as Partial<ErasureEvent> | null)?.erasure;
  return typeof erasure?.client === 'string' && typeof erasure.id === 'string';
}

/** Hands an erasure to the background: on AWS the function invokes itself; local mode runs it in-process. */
export type ErasureDispatcher = (event: ErasureEvent) => Promise<void>;

/** What erasing a folder needs, in the request and in the background. */
export interface FolderErasureDeps extends DeleteImageDeps {
  readonly catalogue: Catalogue;
  readonly erasures: ErasureLog;
  readonly dispatch: ErasureDispatcher;
  /** Folders holding more images than this are erased in the background. */
  readonly backgroundAbove: number;
  readonly now: () => string;
}

/** Erased at once (`deleted`), or handed to the background (`erasure`, to poll). */
export type ErasureStart = { readonly deleted: number } | { readonly erasure: Erasure };

/**
 * `DELETE /objects?folder=`: a small folder is erased here; a large one, or one whose erasure
 * already runs (perhaps crashed), is recorded and handed to the background, which continues it.
 */
export async function startFolderErasure(
  deps: FolderErasureDeps,
  client: string,
  folder: string,
): Promise<ErasureStart> {
  const { images } = await deps.catalogue.stats(client, folder);
  const fresh: Erasure = {
    id: randomUUID(),
    client,
    folder,
    state: 'running',
    deleted: 0,
    startedAt: deps.now(),
  };
  if (images <= deps.backgroundAbove) {
    const running = await deps.erasures.start(fresh);
    if (running.id === fresh.id) {
      const deleted = await eraseFolder(deps, client, folder);
      await deps.erasures.finish(running, deps.now());
      return { deleted };
    }
    await deps.dispatch({ erasure: { client, id: running.id } });
    return { erasure: running };
  }
  const erasure = await deps.erasures.start(fresh);
  await deps.dispatch({ erasure: { client, id: erasure.id } });
  return { erasure };
}

// Time an image's erase may take (its objects, renditions, CDN invalidation, record) and then some.
const HANDOVER_MARGIN_MS = 5000;
// Longest claim of a run without a deadline (local mode); a Lambda run claims until its own.
const LONGEST_CLAIM_MS = 15 * 60 * 1000;

/**
 * Continues a background erasure from what is left of its folder, counting each image in the
 * log as it goes, so a crash loses at most the count of the image it was erasing. One run at a
 * time: a run claims the erasure until its deadline (a second dispatch while it runs does
 * nothing), so `done` is set only when no other run is still counting. When the run's time is
 * nearly up (`timeLeftMs`, the invocation's), it hands the rest to a new run.
 */
export async function continueFolderErasure(
  deps: FolderErasureDeps,
  event: ErasureEvent,
  timeLeftMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<Erasure> {
  const erasure = await deps.erasures.find(event.erasure.client, event.erasure.id);
  if (erasure === undefined || erasure.state === 'done') return erasure ?? missing(event);
  const now = Date.parse(deps.now());
  const until = new Date(now + Math.min(timeLeftMs(), LONGEST_CLAIM_MS)).toISOString();
  if (!(await deps.erasures.claim(erasure, new Date(now).toISOString(), until))) return erasure;
  let outcome: 'done' | 'handover';
  try {
    outcome = await eraseWithin(deps, erasure, timeLeftMs);
  } finally {
    await deps.erasures.release(erasure);
  }
  // Released first, so the new run may claim it at once.
  if (outcome === 'handover') await deps.dispatch(event);
  return (await deps.erasures.find(erasure.client, erasure.id)) ?? missing(event);
}

/** Erases what is left within the run's time: `done` (and recorded so), or `handover` to a new run. */
async function eraseWithin(
  deps: FolderErasureDeps,
  erasure: Erasure,
  timeLeftMs: () => number,
): Promise<'done' | 'handover'> {
  let handedOver = false;
  const stopping = () => {
    handedOver = timeLeftMs() < HANDOVER_MARGIN_MS;
    return handedOver;
  };
  const onDeleted = () => deps.erasures.count(erasure, 1);
  await eraseFolder(deps, erasure.client, erasure.folder, { onDeleted, stopping });
  if (handedOver) return 'handover';
  await deps.erasures.finish(erasure, deps.now());
  return 'done';
}

function missing(event: ErasureEvent): never {
  throw new Error(`no erasure ${event.erasure.id} of ${event.erasure.client}`);
}
