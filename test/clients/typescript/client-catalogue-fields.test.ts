import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageProxyClient } from '../../../clients/typescript/src/index.ts';
import { makeImage } from '../../support/image-fixtures';

/** What the client sent: method, path with query, JSON body (if any). */
const seen: { method: string; url: string; json?: any }[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    const json = req.headers['content-type'] === 'application/json' ? JSON.parse(text) : undefined;
    seen.push({ method: req.method!, url: req.url!, json });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"url":"http://cdn.invalid/a/b.png"}');
  });
});
let client: ImageProxyClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new ImageProxyClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: 'k', retry: false });
});

afterAll(() => server.close());

describe('folder and tags (the catalogue contract), as the TypeScript client sends them', () => {
  it('puts them in the query of a raw upload: ?folder= and one ?tag= per tag', async () => {
    // Act
    await client.upload(await makeImage('png', 4, 4), { folder: 'users/42', tags: ['cat', 'in box'] });

    // Assess
    const url = new URL(seen.at(-1)!.url, 'http://x.invalid');
    expect(url.pathname).toBe('/uploads');
    expect(url.searchParams.get('folder')).toBe('users/42');
    expect(url.searchParams.getAll('tag')).toEqual(['cat', 'in box']);
  });

  it('puts them in the JSON body of an upload from a URL and of a presigned PUT', async () => {
    // Act
    await client.uploadFromUrl('https://media.invalid/p.jpg', { folder: 'f', tags: ['a'] });
    await client.presignPut({ contentType: 'image/png', contentLength: 10, folder: 'f', tags: ['a', 'b'] });

    // Assess
    expect(seen.at(-2)!.json).toEqual({ sourceUrl: 'https://media.invalid/p.jpg', folder: 'f', tags: ['a'] });
    expect(seen.at(-1)!.json).toMatchObject({ method: 'PUT', folder: 'f', tags: ['a', 'b'] });
  });

  it('sends neither when not given', async () => {
    // Act
    await client.upload(await makeImage('png', 4, 4));

    // Assess
    expect(seen.at(-1)!.url).not.toMatch(/folder|tag/);
  });
});
