import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Erasure, ErasureLog } from '../adapters/erasure-log';
import { jsonResponse } from '../adapters/http';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  continueFolderErasure,
  type ErasureDispatcher,
  type ErasureEvent,
  type FolderErasureDeps,
  startFolderErasure,
} from '../catalogue/erase-in-background';
import type { BackgroundErasure, ObjectsDeps } from './objects-deps';
import { catalogueOf } from './catalogue-answers';
import { nowOf } from '../catalogue/catalogue-deps';
import { NotFoundError } from '../core/errors';

export type { BackgroundErasure } from './objects-deps';

// Erasure ids are UUIDs; anything else names no erasure.
const ERASURE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const statusOf = (erasure: Erasure) => ({
  state: erasure.state,
  deleted: erasure.deleted,
  folder: erasure.folder,
});

/** `DELETE /objects?folder=`: 200 `{deleted}` when erased at once, else 202 with the status path to poll. */
export async function eraseFolderAnswer(
  deps: FolderErasureDeps,
  client: string,
  folder: string,
): Promise<{ answer: APIGatewayProxyResult; deleted?: number; erasureId?: string }> {
  const started = await startFolderErasure(deps, client, folder);
  if ('deleted' in started)
    return { answer: jsonResponse(200, { deleted: started.deleted }), deleted: started.deleted };
  const status = `/erasures/${started.erasure.id}`;
  return {
    answer: jsonResponse(202, { status, ...statusOf(started.erasure) }, { location: status }),
    erasureId: started.erasure.id,
  };
}

/** `GET /erasures/{id}`: the state of one of the caller's erasures; another client's is not found. */
export async function erasureStatus(
  erasures: ErasureLog,
  client: string,
  id: string | undefined,
): Promise<APIGatewayProxyResult> {
  const erasure = id !== undefined && ERASURE_ID.test(id) ? await erasures.find(client, id) : undefined;
  if (erasure === undefined) throw new NotFoundError('no such erasure of yours');
  return jsonResponse(200, statusOf(erasure));
}

/** The erasure deps of the objects function's deps; `background` must be set. */
export function folderErasureDeps(deps: ObjectsDeps, background: BackgroundErasure): FolderErasureDeps {
  const catalogue = catalogueOf(deps);
  return { ...deps, ...background, catalogue: catalogue.catalogue, now: () => nowOf(catalogue) };
}

/**
 * The objects function's other entry: an erasure event (its own, sent by `dispatch`) continues
 * that erasure, within `timeLeftMs` (the invocation's). A failure is logged and thrown, so the
 * invocation's retry continues it again.
 */
export function createErasureWorker(deps: FolderErasureDeps & { readonly logger: Logger }) {
  return async (event: ErasureEvent, timeLeftMs?: () => number): Promise<void> => {
    try {
      const erasure = await continueFolderErasure(deps, event, timeLeftMs);
      deps.logger.info('folder erasure ran', {
        client: erasure.client,
        erasureId: erasure.id,
        state: erasure.state,
        deleted: erasure.deleted,
      });
    } catch (err) {
      deps.logger.error('folder erasure stopped; the next run continues it', {
        client: event.erasure.client,
        erasureId: event.erasure.id,
        error: err as Error,
      });
      throw err;
    }
  };
}

/** Local mode's background: the erasure runs in this process after the answer, as a new invocation would. */
export function inProcessDispatcher(worker: () => (event: ErasureEvent) => Promise<void>): ErasureDispatcher {
  return async (event) => {
    // The worker has logged its failure; the erasure stays running for the next DELETE to continue.
    setImmediate(() => worker()(event).catch(() => {}));
  };
}
