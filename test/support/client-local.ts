import { createHash } from 'node:crypto';
import { expect } from 'vitest';

/** The API key the TypeScript client's local-mode tests (test/clients/typescript/client-local-*.test.ts) register for alice. */
export const KEY = 'client-key';

/** The hex SHA-256 of `bytes`, as upload answers carry it. */
export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Fetches `url` as a model would, expecting a 200, and answers its bytes. */
export async function served(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}
