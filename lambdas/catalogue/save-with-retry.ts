import { CatalogueConflictError } from '../adapters/catalogue-store';
import { StorageUnavailableError } from '../core/errors';

// Two writers of one record at once (a retry racing its first attempt) settle in a few rounds.
const MAX_ROUNDS = 4;

/**
 * Runs `round` until it completes without losing a race on the record (each round reads the
 * record afresh). After too many lost races the caller gets 503 with Retry-After.
 */
export async function withRecordRetry<T>(round: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await round();
    } catch (err) {
      if (!(err instanceof CatalogueConflictError)) throw err;
      if (attempt >= MAX_ROUNDS) throw new StorageUnavailableError(503, 1, { cause: err });
    }
  }
}
