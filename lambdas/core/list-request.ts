import { BadRequestError } from './errors';
import { resolveOwnPrefix } from './object-namespace';

/** Items per page when `limit` is absent, and the most one page may hold (S3's own page size). */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

/** A checked `GET /objects` query: always inside the caller's namespace. */
export interface ListRequest {
  readonly prefix: string;
  readonly limit: number;
  /** Key to list after (from `cursor`); undefined on the first page. */
  readonly startAfter?: string | undefined;
}

/** The opaque `cursor` of the next page: the last key of this one. */
export function encodeListCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

/**
 * Reads `prefix`, `limit` and `cursor`. The prefix must lie inside the caller's namespace
 * (403 otherwise) and a cursor must point inside that prefix (400 otherwise), so a forged
 * cursor cannot page through another client's keys.
 */
export function parseListRequest(
  client: string,
  query: Readonly<Record<string, string | undefined>> | null,
): ListRequest {
  const prefix = resolveOwnPrefix(client, query?.prefix);
  const rawLimit = query?.limit;
  const limit = rawLimit === undefined || rawLimit === '' ? DEFAULT_LIST_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT || !/^\d*$/.test(rawLimit ?? '')) {
    throw new BadRequestError('INVALID_LIMIT', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  }
  const cursor = query?.cursor;
  if (cursor === undefined || cursor === '') return { prefix, limit };
  const startAfter = /^[A-Za-z0-9_-]{1,400}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  if (!startAfter.startsWith(prefix) || encodeListCursor(startAfter) !== cursor) {
    throw new BadRequestError('INVALID_CURSOR', 'cursor is not one this listing returned');
  }
  return { prefix, limit, startAfter };
}
