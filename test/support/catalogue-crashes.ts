import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { type Catalogue, DynamoDbCatalogue } from '../../lambdas/adapters/catalogue-store';
import type { ImageStore } from '../../lambdas/adapters/image-store';
import { keysOfImage } from '../../lambdas/core/image-record';
import { listStoredObjects } from './stored-keys';

/** The process dying at this point: nothing after it runs, the error handlers included. */
export class Crash extends Error {}

/** A store whose writes of bytes die (the function is killed after writing the record). */
export const crashingPuts = (inner: ImageStore): ImageStore => ({
  headObject: (key) => inner.headObject(key),
  getObject: (key, max) => inner.getObject(key, max),
  listObjects: (query) => inner.listObjects(query),
  deleteObject: (key) => inner.deleteObject(key),
  putObject: async () => {
    throw new Crash('killed before the bytes were stored');
  },
});

/** `inner` with the calls in `replaced` done otherwise (a crash, a race); every other call goes to it. */
export function catalogueWith(inner: Catalogue, replaced: Partial<Catalogue>): Catalogue {
  return new Proxy(inner, {
    get: (target, name: keyof Catalogue) => replaced[name] ?? target[name].bind(target),
  });
}

/** A catalogue whose record removals die: a takeBack or the last step of a delete never happens. */
export const crashingRemovals = (inner: Catalogue): Catalogue =>
  catalogueWith(inner, {
    saveImage: (b, a) => (b === undefined ? inner.saveImage(b, a) : Promise.reject(new Crash('killed'))),
    deleteImage: () => Promise.reject(new Crash('killed before the record was removed')),
  });

/** The DynamoDB calls of one record write (or delete), in their order: a crash can fall before any. */
const CATALOGUE_STEPS = {
  record: PutItemCommand,
  'key links': BatchWriteItemCommand,
  counters: UpdateItemCommand,
} as const;

/**
 * The catalogue over a DynamoDB client that dies at the first call of `step` of a write: the
 * function is killed after the steps before it (the record written, say, and not its key
 * links), and nothing after it reaches DynamoDB, a take-back included.
 */
export function catalogueDyingAt(
  dynamo: DynamoDBClient,
  tableName: string,
  step: keyof typeof CATALOGUE_STEPS,
): Catalogue {
  let dead = false;
  const send = (command: object) => {
    dead ||= command instanceof CATALOGUE_STEPS[step];
    return dead ? Promise.reject(new Crash(`killed before its ${step}`)) : dynamo.send(command as never);
  };
  const dying = new Proxy(dynamo, {
    get: (target, name) => (name === 'send' ? send : Reflect.get(target, name)),
  });
  return new DynamoDbCatalogue(dying, tableName);
}

/** What a client's `GET /stats` (of everything) says, in the parts a recount from the bucket checks. */
interface CountedStats {
  readonly images: number;
  readonly bytes: { readonly served: number; readonly originals: number };
}

/**
 * Storage and catalogue agree: every record's objects exist and each key's link leads to its
 * record, every served object is recorded, and the client's stats (read through the API) equal a
 * recount: images from the records, served and kept-original bytes from the bucket.
 */
export async function expectAgreement(
  server: { readonly s3Endpoint: string; readonly bucketName: string },
  catalogue: Catalogue,
  stats: () => Promise<CountedStats>,
): Promise<void> {
  const objects = await listStoredObjects(server.s3Endpoint, server.bucketName);
  const stored = new Set(objects.map((object) => object.key));
  const recorded = new Set<string>();
  let count = 0;
  let after: Readonly<Record<string, string>> | undefined;
  do {
    const page = await catalogue.scanImages(after);
    for (const record of page.records) {
      count += 1;
      for (const key of keysOfImage(record)) {
        expect(stored).toContain(key);
        expect((await catalogue.findByKey(key))?.imageId, key).toBe(record.imageId);
        recorded.add(key);
      }
    }
    after = page.next;
  } while (after);
  for (const key of stored) if (!key.startsWith('_')) expect(recorded, key).toContain(key);
  const bytesUnder = (served: boolean) =>
    objects
      .filter(({ key }) => (served ? !key.startsWith('_') : key.startsWith('_originals/')))
      .reduce((sum, object) => sum + object.size, 0);
  expect(await stats()).toMatchObject({
    images: count,
    bytes: { served: bytesUnder(true), originals: bytesUnder(false) },
  });
}
