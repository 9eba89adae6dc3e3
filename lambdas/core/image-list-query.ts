import { BadRequestError } from './errors';
import { parseFolder, parseTags } from './image-labels';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './list-request';

/** The `GET /objects` parameters that ask the catalogue rather than the bucket's key listing. */
export const CATALOGUE_LIST_PARAMS = [
  'folder',
  'recursive',
  'tag',
  'type',
  'source',
  'createdAfter',
  'createdBefore',
  'q',
] as const;

const SOURCES = new Set(['upload', 'presign', 'url', 'rendition']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const CONTENT_TYPE = /^[a-z]+\/[a-z0-9.+-]{1,64}$/;

/** A checked catalogue listing, without its cursor. */
export interface ImageListQuery {
  readonly folder: string;
  readonly recursive: boolean;
  readonly limit: number;
  readonly tags?: readonly string[] | undefined;
  readonly contentType?: string | undefined;
  readonly source?: string | undefined;
  readonly createdAfter?: string | undefined;
  readonly createdBefore?: string | undefined;
  /** Lower-case substring of the filename. */
  readonly filenameContains?: string | undefined;
}

function isoParam(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!ISO_DATE.test(value) || Number.isNaN(time))
    throw new BadRequestError('INVALID_REQUEST', `${name} must be an ISO 8601 date or time`);
  return new Date(time).toISOString();
}

/** Whether a `GET /objects` query asks the catalogue (any of its parameters present). */
export function isCatalogueListing(query: Readonly<Record<string, string | undefined>> | null): boolean {
  return CATALOGUE_LIST_PARAMS.some((name) => query?.[name] !== undefined);
}

/** Reads the catalogue listing parameters; each bad one is a 400 with a stable code. */
export function parseImageListQuery(
  query: Readonly<Record<string, string | undefined>> | null,
  tags: readonly string[] | undefined,
): ImageListQuery {
  const q = query ?? {};
  const rawLimit = q.limit;
  const limit = rawLimit === undefined || rawLimit === '' ? DEFAULT_LIST_LIMIT : Number(rawLimit);
  if (!/^\d*$/.test(rawLimit ?? '') || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
    throw new BadRequestError('INVALID_LIMIT', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  if (q.recursive !== undefined && q.recursive !== 'true' && q.recursive !== 'false')
    throw new BadRequestError('INVALID_REQUEST', 'recursive must be true or false');
  if (q.source !== undefined && !SOURCES.has(q.source))
    throw new BadRequestError('INVALID_REQUEST', 'source must be upload, presign, url or rendition');
  if (q.type !== undefined && !CONTENT_TYPE.test(q.type))
    throw new BadRequestError('INVALID_REQUEST', 'type must be a content type such as image/jpeg');
  if (q.q !== undefined && (q.q.length < 1 || q.q.length > 128))
    throw new BadRequestError('INVALID_REQUEST', 'q must be 1 to 128 characters');
  return {
    folder: q.folder === undefined || q.folder === '' ? '' : parseFolder(q.folder),
    recursive: q.recursive === 'true',
    limit,
    tags: parseTags(tags),
    contentType: q.type,
    source: q.source,
    createdAfter: isoParam('createdAfter', q.createdAfter),
    createdBefore: isoParam('createdBefore', q.createdBefore),
    filenameContains: q.q?.toLowerCase(),
  };
}

/** The opaque cursor of the next catalogue page: where the index read stopped. */
export function encodeImageCursor(position: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * The position a cursor names, or 400 `INVALID_CURSOR` unless it is one a listing of this
 * client's could have returned (its own index partition and record), so a forged cursor cannot
 * page through another client's images.
 */
export function decodeImageCursor(
  client: string,
  cursor: string | undefined,
): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () => new BadRequestError('INVALID_CURSOR', 'cursor is not one this listing returned');
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(cursor)) throw invalid();
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const p = position as Record<string, unknown>;
  const names = Object.keys(p ?? {})
    .sort()
    .join(',');
  if (
    typeof p !== 'object' ||
    names !== 'gpk,gsk,pk' ||
    p.gpk !== `C#${client}` ||
    typeof p.pk !== 'string' ||
    !p.pk.startsWith(`I#${client}#`) ||
    typeof p.gsk !== 'string'
  )
    throw invalid();
  return p as Record<string, string>;
}
