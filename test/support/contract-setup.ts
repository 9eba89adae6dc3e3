/**
 * Every local server a test starts checks each API answer it sends against
 * `openapi/openapi.json`, and a test whose answers disagree with the document fails: the e2e
 * suite cannot drift from the spec, whoever writes the next test. (A vitest setup file: it runs
 * before each test file, so the mock below applies to every import of the local server.)
 */
import { afterAll, afterEach, expect, vi } from 'vitest';
import type { LocalServerOptions } from '../../infra/local/local-server';

const mismatches = vi.hoisted(() => [] as string[]);

vi.mock('../../infra/local/local-server', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../infra/local/local-server')>();
  const { OpenApiContract } = await import('./openapi-contract');
  const contract = OpenApiContract.load();
  return {
    ...real,
    startLocalServer: (options: LocalServerOptions) =>
      real.startLocalServer({
        ...options,
        onApiAnswer: (answer) => {
          options.onApiAnswer?.(answer);
          mismatches.push(...contract.check(answer).problems);
        },
      }),
  };
});

function expectNoMismatch(): void {
  const found = mismatches.splice(0);
  expect(found, 'answers of the local server that openapi/openapi.json does not describe').toEqual([]);
}

afterEach(expectNoMismatch);
afterAll(expectNoMismatch);
