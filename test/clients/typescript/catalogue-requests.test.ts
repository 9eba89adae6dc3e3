import { afterEach, describe, expect, it } from 'vitest';
import {
  base64Of,
  base64UploadBody,
  folderToErase,
  labelsBody,
  labelsQuery,
  listQuery,
  patchBody,
} from '../../../clients/typescript/src/catalogue-requests.ts';
import { ErasurePendingError, ImageProxyClient } from '../../../clients/typescript/src/index.ts';
import { type RecordedRequest, type ScriptedAnswer, startRecordingApi } from '../../support/recording-api';

// The first bytes of a PNG: enough for the client to tell the type; the recording API never decodes.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(7)]);
const UPLOAD_ANSWER = { url: 'http://cdn.invalid/cdn/acme/abc.png', key: 'acme/abc.png', size: 10 };

describe('catalogue request building', () => {
  it.each([
    [{}, {}],
    [{ folder: 'users/alice@example.com' }, { folder: 'users/alice@example.com' }],
    [
      { recursive: true, tags: ['a', 'b c'] },
      { recursive: 'true', tag: ['a', 'b c'] },
    ],
    [{ recursive: false }, {}],
    [
      { createdAfter: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), createdBefore: '2026-12-01T00:00:00Z' },
      { createdAfter: '2026-01-02T03:04:05.000Z', createdBefore: '2026-12-01T00:00:00Z' },
    ],
    [
      { type: 'image/jpeg', source: 'url' as const, q: 'cat', limit: 5 },
      { type: 'image/jpeg', source: 'url', q: 'cat', limit: 5 },
    ],
    [{ pageSize: 7 }, { limit: 7 }],
    [{ prefix: 'acme/x' }, { prefix: 'acme/x' }],
  ])('lists with %j as the query %j', (filters, expected) => {
    // Act
    const query = listQuery(filters, undefined);

    // Assess
    expect(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined))).toEqual(expected);
  });

  it('carries the cursor of the page asked for', () => {
    // Act
    const query = listQuery({ folder: 'f' }, 'c-2');

    // Assess
    expect(query.cursor).toBe('c-2');
  });

  it('puts folder and tags in the query of a raw upload, and all three labels in a JSON body', () => {
    // Prepare
    const labels = { folder: 'a/b', tags: ['x', 'y'], metadata: { k: 'v' } };

    // Act
    const query = labelsQuery(labels);
    const body = labelsBody(labels);

    // Assess
    expect(query).toEqual({ folder: 'a/b', tag: ['x', 'y'] });
    expect(body).toEqual(labels);
    expect(labelsBody({})).toEqual({});
  });

  it('sends only the patched fields, and refuses an empty patch', () => {
    // Act
    const body = patchBody({ tags: [], filename: 'a.png' });

    // Assess
    expect(body).toEqual({ tags: [], filename: 'a.png' });
    expect(() => patchBody({})).toThrow(/at least one of tags, metadata or filename/);
  });

  it('encodes a base64 upload body as Node does, past the 32 KiB steps', () => {
    // Prepare
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 31) % 256);

    // Act
    const body = base64UploadBody(bytes, { fit: 'openai', folder: 'f', metadata: { a: 'b' }, inline: false });

    // Assess
    expect(body).toEqual({
      image: Buffer.from(bytes).toString('base64'),
      fit: 'openai',
      folder: 'f',
      metadata: { a: 'b' },
    });
    expect(base64Of(new Uint8Array())).toBe('');
  });

  it.each(['', '   '])('refuses to erase the folder %j before any request', (folder) => {
    // Act, Assess
    expect(() => folderToErase(folder)).toThrow(TypeError);
  });
});

describe('catalogue calls on the wire', () => {
  let api: Awaited<ReturnType<typeof startRecordingApi>> | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  async function clientAnswering(answer: (request: RecordedRequest) => ScriptedAnswer) {
    api = await startRecordingApi(answer);
    return {
      client: new ImageProxyClient({ apiUrl: api.url, apiKey: 'k', retry: false }),
      requests: api.requests,
    };
  }

  const jsonOf = (request: RecordedRequest) => JSON.parse(request.body.toString('utf8'));

  it('uploads raw bytes with ?folder= and a ?tag= per tag', async () => {
    // Prepare
    const { client, requests } = await clientAnswering(() => ({ status: 200, json: UPLOAD_ANSWER }));

    // Act
    await client.upload(PNG, { folder: 'users/alice@example.com', tags: ['a', 'b'], fit: 'gemini' });

    // Assess
    const [sent] = requests;
    expect(sent!.method).toBe('POST');
    expect(sent!.path).toBe('/uploads');
    expect(sent!.query.get('folder')).toBe('users/alice@example.com');
    expect(sent!.query.getAll('tag')).toEqual(['a', 'b']);
    expect(sent!.query.get('fit')).toBe('gemini');
    expect(sent!.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(sent!.body, Buffer.from(PNG))).toBe(0);
  });

  it('uploads bytes with metadata as a JSON body (metadata cannot ride a query)', async () => {
    // Prepare
    const { client, requests } = await clientAnswering(() => ({ status: 200, json: UPLOAD_ANSWER }));

    // Act
    await client.upload(new Blob([PNG]), {
      folder: 'f',
      tags: ['t'],
      metadata: { order: '42' },
      filename: 'cat.png',
    });

    // Assess
    const [sent] = requests;
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.query.size).toBe(0);
    expect(jsonOf(sent!)).toEqual({
      image: Buffer.from(PNG).toString('base64'),
      filename: 'cat.png',
      folder: 'f',
      tags: ['t'],
      metadata: { order: '42' },
    });
  });

  it('sends the labels of an upload from a URL in its JSON body', async () => {
    // Prepare
    const { client, requests } = await clientAnswering(() => ({ status: 200, json: UPLOAD_ANSWER }));

    // Act
    await client.uploadFromUrl('https://media.invalid/a.png', {
      folder: 'u/1',
      tags: ['chat'],
      metadata: { room: '!r' },
    });

    // Assess
    expect(jsonOf(requests[0]!)).toEqual({
      sourceUrl: 'https://media.invalid/a.png',
      folder: 'u/1',
      tags: ['chat'],
      metadata: { room: '!r' },
    });
  });

  it('presigns with folder and tags, then sets the metadata once the upload is published', async () => {
    // Prepare
    const { client, requests } = await clientAnswering((request) => {
      if (request.path === '/presign') {
        return {
          status: 200,
          json: {
            method: 'PUT',
            url: `${api!.url}/bucket/put`,
            headers: {},
            uploadId: 'u-1',
            statusPath: '/uploads/u-1',
          },
        };
      }
      if (request.path === '/bucket/put') return { status: 200 };
      if (request.path === '/uploads/u-1')
        return { status: 200, json: { status: 'published', ...UPLOAD_ANSWER } };
      return { status: 200, json: { ...UPLOAD_ANSWER, metadata: { a: 'b' } } };
    });

    // Act
    await client.upload(PNG, { via: 'presigned', folder: 'f', tags: ['t'], metadata: { a: 'b' } });

    // Assess
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /presign',
      'PUT /bucket/put',
      'GET /uploads/u-1',
      'PATCH /objects/acme/abc.png',
    ]);
    expect(jsonOf(requests[0]!)).toMatchObject({ method: 'PUT', folder: 'f', tags: ['t'] });
    expect(jsonOf(requests[0]!)).not.toHaveProperty('metadata');
    expect(jsonOf(requests[3]!)).toEqual({ metadata: { a: 'b' } });
  });

  it('lists with filters, following the cursor page by page', async () => {
    // Prepare
    const { client, requests } = await clientAnswering((request) =>
      request.query.get('cursor') === null
        ? { status: 200, json: { items: [{ key: 'acme/1.png', size: 1, url: 'u1' }], cursor: 'next' } }
        : { status: 200, json: { items: [{ key: 'acme/2.png', size: 2, url: 'u2' }] } },
    );

    // Act
    const keys: string[] = [];
    for await (const item of client.list({ folder: 'f', recursive: true, tags: ['a', 'b'], limit: 1 }))
      keys.push(item.key);

    // Assess
    expect(keys).toEqual(['acme/1.png', 'acme/2.png']);
    expect(requests.map((r) => r.query.toString())).toEqual([
      'folder=f&recursive=true&tag=a&tag=b&limit=1',
      'folder=f&recursive=true&tag=a&tag=b&limit=1&cursor=next',
    ]);
  });

  it('patches an image by URL, stats a folder', async () => {
    // Prepare
    const { client, requests } = await clientAnswering((request) =>
      request.path === '/stats'
        ? {
            status: 200,
            json: { images: 3, bytes: { served: 1, originals: 2 }, byContentType: {}, bySource: {} },
          }
        : { status: 200, json: { key: 'acme/abc.png', size: 1, url: 'u', tags: ['x'] } },
    );

    // Act
    const record = await client.updateImage('http://cdn.invalid/cdn/acme/abc.png', {
      tags: ['x'],
      metadata: { a: '1' },
    });
    const stats = await client.stats({ folder: 'users/bob' });

    // Assess
    expect(record.tags).toEqual(['x']);
    expect(stats.images).toBe(3);
    expect(`${requests[0]!.method} ${requests[0]!.path}`).toBe('PATCH /objects/acme/abc.png');
    expect(jsonOf(requests[0]!)).toEqual({ tags: ['x'], metadata: { a: '1' } });
    expect(`${requests[1]!.method} ${requests[1]!.path}?${requests[1]!.query}`).toBe(
      'GET /stats?folder=users%2Fbob',
    );
  });

  it('erases a small folder in one call (200)', async () => {
    // Prepare
    const { client, requests } = await clientAnswering(() => ({ status: 200, json: { deleted: 4 } }));

    // Act
    const answer = await client.eraseFolder('users/alice@example.com');

    // Assess
    expect(answer).toEqual({ deleted: 4 });
    expect(`${requests[0]!.method} ${requests[0]!.path}?${requests[0]!.query}`).toBe(
      'DELETE /objects?folder=users%2Falice%40example.com',
    );
  });

  it('erases a large folder in the background (202), polling its status path until done', async () => {
    // Prepare
    let polls = 0;
    const { client, requests } = await clientAnswering((request) => {
      if (request.method === 'DELETE') return { status: 202, json: { status: '/erasures/e-1' } };
      polls++;
      return {
        status: 200,
        json: polls < 3 ? { state: 'running', deleted: polls } : { state: 'done', deleted: 900 },
      };
    });

    // Act
    const answer = await client.eraseFolder('big', { intervalMs: 1 });

    // Assess
    expect(answer).toEqual({ deleted: 900 });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'DELETE /objects',
      'GET /erasures/e-1',
      'GET /erasures/e-1',
      'GET /erasures/e-1',
    ]);
  });

  it('throws ErasurePendingError with the status path when the erasure outlasts timeoutMs', async () => {
    // Prepare
    const { client } = await clientAnswering((request) =>
      request.method === 'DELETE'
        ? { status: 202, json: { status: '/erasures/e-2' } }
        : { status: 200, json: { state: 'running', deleted: 10 } },
    );

    // Act
    const erasing = client.eraseFolder('big', { intervalMs: 1, timeoutMs: 0 });

    // Assess
    await expect(erasing).rejects.toThrow(ErasurePendingError);
    await expect(erasing).rejects.toMatchObject({ statusPath: '/erasures/e-2', deletedSoFar: 10 });
  });
});
