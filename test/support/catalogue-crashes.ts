import { expect } from 'vitest';
import type { Catalogue } from '../../lambdas/adapters/catalogue-store';
import type { ImageStore } from '../../lambdas/adapters/image-store';
import { keysOfImage } from '../../lambdas/core/image-record';
import { listStoredKeys } from './stored-keys';

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

/**
 * Storage and catalogue agree: every record's objects exist, every served object is recorded,
 * and the client's stats (read through the API) count the records.
 */
export async function expectAgreement(
  server: { readonly s3Endpoint: string; readonly bucketName: string },
  catalogue: Catalogue,
  statsImages: () => Promise<unknown>,
): Promise<void> {
  const stored = new Set(await listStoredKeys(server.s3Endpoint, server.bucketName));
  const recorded = new Set<string>();
  let count = 0;
  let after: Readonly<Record<string, string>> | undefined;
  do {
    const page = await catalogue.scanImages(after);
    for (const record of page.records) {
      count += 1;
      for (const key of keysOfImage(record)) {
        expect(stored).toContain(key);
        recorded.add(key);
      }
    }
    after = page.next;
  } while (after);
  for (const key of stored) if (!key.startsWith('_')) expect(recorded, key).toContain(key);
  expect(await statsImages()).toBe(count);
}
