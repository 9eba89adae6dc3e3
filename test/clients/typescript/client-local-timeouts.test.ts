import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageProxyClient, TimeoutError } from '../../../clients/typescript/src/index.ts';
import { KEY } from '../../support/client-local';
import { UNTHROTTLED, useLocalServer } from '../../support/file-server';
import { makeImage } from '../../support/image-fixtures';

// The waits for a presigned upload ask a real local mode (GET /uploads/{id}).
const local = useLocalServer('ts-client-timeouts', { alice: KEY }, { env: UNTHROTTLED });
let client: ImageProxyClient;

beforeAll(() => {
  client = new ImageProxyClient({ apiUrl: local.server.apiUrl, apiKey: KEY });
});

describe('timeouts and aborts', () => {
  let silent: Server;
  let silentUrl: string;
  let requests = 0;

  beforeAll(async () => {
    // Reads each request and never answers.
    silent = createServer((req) => {
      requests++;
      req.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('throws TimeoutError after each attempt timed out', async () => {
    // Prepare
    const before = requests;
    const impatient = new ImageProxyClient({
      apiUrl: silentUrl,
      apiKey: KEY,
      timeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 10 },
    });

    // Act / Assess
    await expect(impatient.info('alice/a.png')).rejects.toBeInstanceOf(TimeoutError);
    expect(requests - before).toBe(2);
  });

  it('stops at once when its AbortSignal aborts, with the signal’s reason', async () => {
    // Prepare
    const waiting = new ImageProxyClient({ apiUrl: silentUrl, apiKey: KEY });
    const controller = new AbortController();
    const reason = new Error('user gave up');

    // Act
    const pending = waiting.upload(await makeImage('png'), { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);

    // Assess
    await expect(pending).rejects.toBe(reason);
  });

  it('stops waiting for a presigned upload when aborted', async () => {
    // Prepare
    const controller = new AbortController();
    const reason = new Error('enough');
    setTimeout(() => controller.abort(reason), 100);

    // Act / Assess
    await expect(client.waitForUpload('0'.repeat(32), { signal: controller.signal })).rejects.toBe(reason);
  });

  it('gives up waiting for a presigned upload after timeoutMs, naming it', async () => {
    // Act / Assess
    await expect(
      client.waitForUpload('0'.repeat(32), { timeoutMs: 200, intervalMs: 50 }),
    ).rejects.toMatchObject({
      code: 'UPLOAD_PENDING',
      uploadId: '0'.repeat(32),
    });
  });
});
