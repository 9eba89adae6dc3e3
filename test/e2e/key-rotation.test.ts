import { afterAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { makeNoisyPng } from '../support/image-fixtures';
import { localKeyOf } from '../support/local-keys';
import { makeTempDir } from '../support/temp-dir';

const OLD_KEY = 'alice-key-generation-1';
const NEW_KEY = 'alice-key-generation-2';
const dir = makeTempDir('key-rotation');
const servers: LocalServer[] = [];

afterAll(async () => {
  for (const server of servers) await server.close().catch(() => undefined);
  dir.remove();
});

async function start(keys: readonly string[]): Promise<LocalServer> {
  const server = await startLocalServer({
    port: 0,
    dataDir: dir.path,
    // LOCAL_CLIENTS=alice=<old>,alice=<new> gives this map: one client, two keys.
    clients: new Map([['alice', keys]]),
    env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
  });
  servers.push(server);
  return server;
}

const upload = (server: LocalServer, key: string, image: Buffer) =>
  fetch(`${server.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'image/png' },
    body: image,
  });

const list = (server: LocalServer, key: string) =>
  fetch(`${server.apiUrl}/objects?limit=1000`, { headers: { 'x-api-key': key } });

describe('key rotation with overlap, in local mode', () => {
  it('loses no request while a client switches from its old key to its new one, and the old key stops only when removed', async () => {
    // Prepare: the rotation window (add-new done: both keys open alice's namespace)
    const window = await start([OLD_KEY, NEW_KEY]);
    const images = await Promise.all(Array.from({ length: 24 }, (_, i) => makeNoisyPng(2_000, 500 + i)));

    // Act: switch: the client moves to the new key halfway, with requests on both keys in flight
    const answers = await Promise.all(
      images.map(async (image, i) => {
        const response = await upload(window, i < images.length / 2 ? OLD_KEY : NEW_KEY, image);
        return { status: response.status, key: ((await response.json()) as { key?: string }).key };
      }),
    );
    const listedWithNew = (await (await list(window, NEW_KEY)).json()) as { items: Array<{ key: string }> };
    const listedWithOld = (await (await list(window, OLD_KEY)).json()) as { items: Array<{ key: string }> };
    await window.close();

    // Act: remove-old (the old key is no longer configured)
    const after = await start([NEW_KEY]);
    const withNew = await list(after, NEW_KEY);
    const withOld = await list(after, OLD_KEY);
    const stillServed = await fetch(`${after.cdnBaseUrl}/${answers[0]!.key}`);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(images.map(() => 201));
    // Keys are opaque but stable: computed with the deployment secret local mode keeps in DATA_DIR.
    const expectedKeys = images.map((image) => localKeyOf(dir.path, 'alice', image)).sort();
    expect(answers.map((answer) => answer.key).sort()).toEqual(expectedKeys);
    // One namespace, whichever key wrote: each key lists everything.
    expect(listedWithNew.items.map((item) => item.key).sort()).toEqual(expectedKeys);
    expect(listedWithOld.items.map((item) => item.key).sort()).toEqual(expectedKeys);
    expect(withNew.status).toBe(200);
    expect(((await withNew.json()) as { items: unknown[] }).items).toHaveLength(images.length);
    expect(withOld.status).toBe(403);
    expect(stillServed.status).toBe(200);
  });
});
