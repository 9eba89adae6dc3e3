import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { ImageListQuery } from '../core/image-list-query';
import { S } from './catalogue-items';
import { CATALOGUE_TABLE } from './catalogue-table';

/** A checked listing query: one folder (or everything under it), newest first, filtered. */
export interface ImageQuery extends ImageListQuery {
  readonly client: string;
  /** Where the previous page ended (the adapter's own, checked by the caller). */
  readonly after?: Readonly<Record<string, string>> | undefined;
}

/**
 * One read of a listing: the folder's records in the client's folder index, newest first, with
 * the query's filters (applied by DynamoDB after it reads up to `limit` records).
 */
export function imageListRead(
  tableName: string,
  query: ImageQuery,
  limit: number,
  start: Record<string, AttributeValue> | undefined,
): QueryCommand {
  const filters: string[] = [];
  const values: Record<string, AttributeValue> = {
    ':gpk': S(`C#${query.client}`),
    ':prefix': S(query.recursive ? (query.folder === '' ? '' : `${query.folder}/`) : `${query.folder}/#`),
  };
  (query.tags ?? []).forEach((tag, i) => {
    filters.push(`contains(tags, :tag${i})`);
    values[`:tag${i}`] = S(tag);
  });
  const optional: [string | undefined, string][] = [
    [query.contentType, 'contentType = :type'],
    [query.source, '#source = :source'],
    [query.createdAfter, 'createdAt > :after'],
    [query.createdBefore, 'createdAt < :before'],
    [query.filenameContains, 'contains(filenameLower, :q)'],
  ];
  const placeholders = [':type', ':source', ':after', ':before', ':q'];
  optional.forEach(([value, expression], i) => {
    if (value === undefined) return;
    filters.push(expression);
    values[placeholders[i]!] = S(value);
  });
  const whole = query.recursive && query.folder === '';
  return new QueryCommand({
    TableName: tableName,
    IndexName: CATALOGUE_TABLE.folderIndex,
    KeyConditionExpression: whole ? 'gpk = :gpk' : 'gpk = :gpk AND begins_with(gsk, :prefix)',
    ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
    ...(query.source !== undefined && { ExpressionAttributeNames: { '#source': 'source' } }),
    ExpressionAttributeValues: whole
      ? Object.fromEntries(Object.entries(values).filter(([name]) => name !== ':prefix'))
      : values,
    ScanIndexForward: false,
    Limit: limit,
    ExclusiveStartKey: start,
  });
}
