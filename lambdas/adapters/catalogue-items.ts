import type { AttributeValue, WriteRequest } from '@aws-sdk/client-dynamodb';
import { type ImageRecord, primaryContentType } from '../core/image-record';
import { CATALOGUE_TABLE } from './catalogue-table';

/** The catalogue's items as DynamoDB stores them (see catalogue-table.ts), and back. */

/** A folder of a client. */
export interface FolderRef {
  readonly client: string;
  readonly folder: string;
}

/** One item of the reconciler's walk, and its place in the table (a walk goes on after it). */
export type CatalogueEntry = { readonly at: Readonly<Record<string, string>> } & (
  | { readonly record: ImageRecord }
  | { readonly counters: FolderRef }
);

/** One page of the walk and where the next one starts. */
export interface CataloguePage {
  readonly entries: readonly CatalogueEntry[];
  readonly next?: Readonly<Record<string, string>> | undefined;
}

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number): AttributeValue => ({ N: String(value) });
export const imagePk = (client: string, imageId: string) => `I#${client}#${imageId}`;
export const linkPk = (key: string) => `K#${key}`;
/** Where a record sorts in its client's folder index: by folder, then by creation. */
export function folderSortKey(folder: string, createdAt: string, imageId: string): string {
  return `${folder}/#${createdAt}#${imageId}`;
}

/** The table item of a record: its JSON, version and the attributes listings filter on. */
export function imageItem(record: ImageRecord): Record<string, AttributeValue> {
  const { version, ...doc } = record;
  return {
    [CATALOGUE_TABLE.partitionKey]: S(imagePk(record.client, record.imageId)),
    [CATALOGUE_TABLE.folderIndexPartitionKey]: S(`C#${record.client}`),
    [CATALOGUE_TABLE.folderIndexSortKey]: S(folderSortKey(record.folder, record.createdAt, record.imageId)),
    createdAt: S(record.createdAt),
    contentType: S(primaryContentType(record)),
    source: S(record.source),
    ...(record.tags.length > 0 && { tags: { SS: [...record.tags] } }),
    ...(record.filename !== undefined && { filenameLower: S(record.filename.toLowerCase()) }),
    version: N(version),
    doc: S(JSON.stringify(doc)),
  };
}

/** The key links naming `record` as the image of each of `keys`. */
export function linkPuts(record: ImageRecord, keys: readonly string[]): WriteRequest[] {
  const link = { client: S(record.client), imageId: S(record.imageId) };
  return keys.map((key) => ({ PutRequest: { Item: { pk: S(linkPk(key)), ...link } } }));
}

/** A walked item: a record, or a folder's counters (its client and folder read from its index keys). */
export function entryOf(item: Record<string, AttributeValue>): CatalogueEntry {
  const at = { pk: item[CATALOGUE_TABLE.partitionKey]?.S ?? '' };
  const record = recordOf(item);
  if (record !== undefined) return { at, record };
  const client = (item[CATALOGUE_TABLE.folderIndexPartitionKey]?.S ?? '').slice('T#'.length);
  const folder = (item[CATALOGUE_TABLE.folderIndexSortKey]?.S ?? '/').slice(0, -1);
  return { at, counters: { client, folder } };
}

/** The record an item holds; undefined for any other kind of item. */
export function recordOf(item: Record<string, AttributeValue> | undefined): ImageRecord | undefined {
  if (item?.doc?.S === undefined) return undefined;
  return {
    ...(JSON.parse(item.doc.S) as Omit<ImageRecord, 'version'>),
    version: Number(item.version?.N ?? 0),
  };
}
