import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../../../clients/typescript/src/cli-main.ts';
import { type RecordedRequest, type ScriptedAnswer, startRecordingApi } from '../../support/recording-api';
import { makeTempDir } from '../../support/temp-dir';

// What the CLI sends for the catalogue's commands. The answers are scripted: the service's own
// behaviour is tested end to end elsewhere; here the command line → request mapping is.
const dir = makeTempDir('ts-cli-catalogue');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(1)]);
writeFileSync(join(dir.path, 'cat.png'), PNG);
const UPLOAD_ANSWER = {
  url: 'http://cdn.invalid/cdn/acme/abc.png',
  key: 'acme/abc.png',
  size: 10,
  contentType: 'image/png',
};

let api: Awaited<ReturnType<typeof startRecordingApi>> | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});
afterAll(() => dir.remove());

async function cli(argv: string[], answer: (request: RecordedRequest) => ScriptedAnswer) {
  api = await startRecordingApi(answer);
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: { S3IP_API_URL: api.url, S3IP_API_KEY: 'k' },
    cwd: dir.path,
  });
  return { code, stdout, stderr, requests: api.requests };
}

describe('s3ip and the catalogue', () => {
  it('uploads with --folder, a --tag each and --meta pairs', async () => {
    // Act
    const { code, requests } = await cli(
      [
        'upload',
        'cat.png',
        '--folder',
        'users/alice@example.com',
        '--tag',
        'a',
        '--tag',
        'b c',
        '--meta',
        'order=4=2',
      ],
      () => ({ status: 200, json: UPLOAD_ANSWER }),
    );

    // Assess
    expect(code).toBe(EXIT.ok);
    const body = JSON.parse(requests[0]!.body.toString('utf8'));
    expect(body).toMatchObject({
      folder: 'users/alice@example.com',
      tags: ['a', 'b c'],
      metadata: { order: '4=2' },
    });
  });

  it('uploads raw bytes with ?folder= and ?tag= when no metadata is given', async () => {
    // Act
    const { code, requests } = await cli(['upload', 'cat.png', '--folder', 'f', '--tag', 't'], () => ({
      status: 200,
      json: UPLOAD_ANSWER,
    }));

    // Assess
    expect(code).toBe(EXIT.ok);
    expect(requests[0]!.query.toString()).toBe('filename=cat.png&folder=f&tag=t');
  });

  it('lists one folder recursively with tag filters, showing folder and tags', async () => {
    // Act
    const { code, stdout, requests } = await cli(
      ['ls', '--folder', 'users', '--recursive', '--tag', 'x', '--tag', 'y'],
      () => ({
        status: 200,
        json: {
          items: [
            {
              key: 'acme/1.png',
              size: 5,
              url: 'u',
              folder: 'users/a',
              tags: ['x', 'y'],
              createdAt: '2026-12-07T00:00:00Z',
            },
          ],
        },
      }),
    );

    // Assess
    expect(code).toBe(EXIT.ok);
    expect(requests[0]!.query.toString()).toBe('folder=users&recursive=true&tag=x&tag=y');
    expect(stdout).toMatch(/^2026-12-07T00:00:00Z .* acme\/1\.png {2}\[users\/a\] {2}#x #y\n$/);
  });

  it('shows folder, tags, metadata, source and profiles in info', async () => {
    // Act
    const { code, stdout } = await cli(['info', 'acme/1.png'], () => ({
      status: 200,
      json: {
        key: 'acme/1.png',
        size: 5,
        url: 'u',
        folder: 'users/a',
        tags: ['x', 'y'],
        metadata: { order: '42' },
        source: 'url',
        createdAt: '2026-12-07T00:00:00Z',
        profiles: { universal: {}, openai: {} },
      },
    }));

    // Assess
    expect(code).toBe(EXIT.ok);
    for (const row of [
      'folder:   users/a',
      'tags:     x, y',
      'meta.order: 42',
      'source:   url',
      'profiles: universal, openai',
    ])
      expect(stdout).toContain(`${row}\n`);
  });

  it('refuses --recursive without --folder, sending nothing', async () => {
    // Act
    const { code, stderr, requests } = await cli(['ls', '--recursive'], () => ({ status: 500 }));

    // Assess
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/--recursive lists under a folder/);
    expect(requests).toHaveLength(0);
  });

  it('prints the stats of a folder, as rows or JSON', async () => {
    // Prepare
    const stats = {
      images: 2,
      bytes: { served: 2048, originals: 4096 },
      byContentType: { 'image/png': 2 },
      bySource: { upload: 1, url: 1 },
      newestCreatedAt: '2026-12-07T01:02:03Z',
    };

    // Act
    const human = await cli(['stats', '--folder', 'users/bob'], () => ({ status: 200, json: stats }));
    const asJson = await cli(['stats', '--json'], () => ({ status: 200, json: stats }));

    // Assess
    expect(human.requests[0]!.path).toBe('/stats');
    expect(human.requests[0]!.query.get('folder')).toBe('users/bob');
    expect(human.stdout).toContain('images:    2\n');
    expect(human.stdout).toContain('by source: upload 1, url 1\n');
    expect(asJson.requests[0]!.query.size).toBe(0);
    expect(JSON.parse(asJson.stdout)).toEqual(stats);
  });

  it('erases nothing on rm --folder without --yes, and says so', async () => {
    // Act
    const { code, stderr, requests } = await cli(['rm', '--folder', 'users/alice'], () => ({
      status: 200,
      json: { deleted: 1 },
    }));

    // Assess
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/add --yes/);
    expect(requests).toHaveLength(0);
  });

  it('erases a folder with rm --folder --yes, following a background erasure to its end', async () => {
    // Act
    const { code, stdout, requests } = await cli(['rm', '--folder', 'users/alice', '--yes'], (request) =>
      request.method === 'DELETE'
        ? { status: 202, json: { status: '/erasures/e-9' } }
        : { status: 200, json: { state: 'done', deleted: 12 } },
    );

    // Assess
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe('erased users/alice: 12 images\n');
    expect(requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      'DELETE /objects?folder=users%2Falice',
      'GET /erasures/e-9?',
    ]);
  });

  it('refuses keys and --folder together on rm', async () => {
    // Act
    const { code, requests } = await cli(['rm', 'acme/1.png', '--folder', 'f', '--yes'], () => ({
      status: 204,
    }));

    // Assess
    expect(code).toBe(EXIT.usage);
    expect(requests).toHaveLength(0);
  });
});
