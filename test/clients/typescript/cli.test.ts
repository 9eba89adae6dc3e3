import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../infra/local/local-server';
import { EXIT, runCli } from '../../../clients/typescript/src/cli-main.ts';
import { noisyPng, REFUSED_SAMPLES } from '../../support/image-fixtures';
import { makeTempDir } from '../../support/temp-dir';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const PACKAGE = join(ROOT, 'clients', 'typescript');
const KEY = 'cli-secret-key-3f9a';
const WRONG_KEY = 'wrong-secret-key-77c1';

const dir = makeTempDir('ts-cli');
let server: LocalServer;
let bigPng: string;
let smallJpg: string;

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['alice', KEY]]),
    env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
  });
  mkdirSync(join(dir.path, 'images'));
  bigPng = join(dir.path, 'images', 'big.png');
  smallJpg = join(dir.path, 'images', 'small.jpg');
  // A 6 MB PNG: over the base64 route's 4.4 MB, so it goes through a presigned PUT.
  writeFileSync(bigPng, await noisyPng(1450, 1450, 3));
  writeFileSync(
    smallJpg,
    await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 20, g: 120, b: 200 } } })
      .jpeg()
      .toBuffer(),
  );
  writeFileSync(join(dir.path, 'images', 'drawing.svg'), REFUSED_SAMPLES.svg);
});

afterAll(async () => {
  await server?.close();
  dir.remove();
});

/** Runs the CLI in this process, as a terminal-less script would. */
async function cli(argv: string[], options: { env?: Record<string, string>; tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false },
    env: { S3IP_API_URL: server.apiUrl, S3IP_API_KEY: KEY, ...options.env },
    cwd: join(dir.path, 'images'),
  });
  return { code, stdout, stderr };
}

describe('s3ip, the CLI', () => {
  it('uploads a big PNG (presigned PUT) and a small JPEG and prints their answers as JSON', async () => {
    // Act
    const { code, stdout, stderr } = await cli([
      'upload',
      'big.png',
      'small.jpg',
      '--json',
      '--fit',
      'original',
    ]);

    // Assess
    expect({ code, stderr }).toEqual({ code: EXIT.ok, stderr: '' });
    const results = JSON.parse(stdout);
    expect(results.map((r: any) => [r.file, r.via, r.contentType])).toEqual([
      ['big.png', 'presigned', 'image/png'],
      ['small.jpg', 'direct', 'image/jpeg'],
    ]);
    for (const r of results) {
      expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cdn\/alice\/[0-9a-f]{64}\.(png|jpg)$/);
      expect(r.prompt.anthropic).toEqual({ type: 'image', source: { type: 'url', url: r.url } });
    }
  });

  it('prints one provider’s prompt blocks with --prompt, ready to paste', async () => {
    // Act
    const { code, stdout } = await cli(['upload', '*.jpg', '--prompt', 'openai']);

    // Assess
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout)).toEqual([
      { type: 'image_url', image_url: { url: expect.stringMatching(/\.jpg$/) } },
    ]);
  });

  it('prints a line per file for people, and draws a progress bar on a terminal', async () => {
    // Act
    const { code, stdout, stderr } = await cli(['upload', 'big.png', 'small.jpg', '--fit', 'original'], {
      tty: true,
    });

    // Assess
    expect(code).toBe(EXIT.ok);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((line) => line.startsWith('big.png'))).toMatch(
      / http:\/\/\S+\.png {2}\(1450×1450 image\/png, 6\.\d+ MB, presigned PUT\)$/,
    );
    expect(stderr).toContain('\r\x1b[2K[');
    expect(stderr).toMatch(/\[#+-*\] +\d+%/);
    expect(stderr).toContain('2 of 2 done');
  });

  it('exits 1 when a file is refused, having uploaded the others, and says why on stderr', async () => {
    // Act
    const { code, stdout, stderr } = await cli(['upload', 'drawing.svg', 'small.jpg', '--json']);

    // Assess
    expect(code).toBe(EXIT.failed);
    const results = JSON.parse(stdout);
    expect(results[0]).toEqual({
      file: 'drawing.svg',
      error: expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 }),
    });
    expect(results[1].url).toMatch(/\.jpg$/);
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(/^s3ip: drawing\.svg: UNSUPPORTED_MEDIA_TYPE \(HTTP 415\): bytes are an SVG/),
      '',
    ]);
  });

  it('exits 3 on a wrong key with the error code in one line, never echoing the key', async () => {
    // Act
    const { code, stdout, stderr } = await cli(['upload', 'big.png', 'small.jpg'], {
      env: { S3IP_API_KEY: WRONG_KEY },
    });

    // Assess
    expect(code).toBe(EXIT.auth);
    expect(stderr).toBe('s3ip: FORBIDDEN (HTTP 403): a valid x-api-key header is required\n');
    expect(stdout + stderr).not.toContain(WRONG_KEY);
  });

  it.each([
    [['upload'], /upload needs files/],
    [['upload', 'missing.png'], /no such file: missing\.png/],
    [['upload', 'small.jpg', '--fit', 'huge'], /--fit must be one of/],
    [['upload', 'small.jpg', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['ls', '--limit', 'x'], /--limit must be a whole number/],
  ])('exits 2 on a usage error: %j', async (argv, message) => {
    // Act
    const { code, stderr } = await cli(argv);

    // Assess
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(message);
  });

  it('exits 2 without an API URL or key, naming the variables', async () => {
    // Act
    const noUrl = await cli(['ls'], { env: { S3IP_API_URL: '' } });
    const noKey = await cli(['ls'], { env: { S3IP_API_KEY: '' } });

    // Assess
    expect([noUrl.code, noKey.code]).toEqual([EXIT.usage, EXIT.usage]);
    expect(noUrl.stderr).toContain('S3IP_API_URL');
    expect(noKey.stderr).toContain('S3IP_API_KEY');
  });

  it('exits 4 when the API cannot be reached', async () => {
    // Act
    const { code, stderr } = await cli(['ls', '--retries', '0'], {
      env: { S3IP_API_URL: 'http://127.0.0.1:1' },
    });

    // Assess
    expect(code).toBe(EXIT.unavailable);
    expect(stderr).toMatch(/^s3ip: NETWORK: could not reach 127\.0\.0\.1:1/);
  });

  it('lists, describes, presigns and removes', async () => {
    // Prepare
    const [uploaded] = JSON.parse((await cli(['upload', 'small.jpg', '--json'])).stdout);

    // Act
    const ls = await cli(['ls', '--json']);
    const lsHuman = await cli(['ls', '--limit', '1']);
    const info = await cli(['info', uploaded.url]);
    const presignGet = await cli(['presign', 'get', uploaded.key, '--expires', '60']);
    const privateRead = (await fetch(presignGet.stdout.trim())).status;
    const presignPut = await cli(['presign', 'put', 'big.png', '--json']);
    const rm = await cli(['rm', uploaded.key, '--json']);
    const infoAfter = await cli(['info', uploaded.key, '--json']);

    // Assess
    expect(JSON.parse(ls.stdout).map((item: any) => item.key)).toContain(uploaded.key);
    expect(lsHuman.stdout.trim().split('\n')).toHaveLength(1);
    expect(info.stdout).toContain(`key:      ${uploaded.key}\n`);
    expect(info.stdout).toContain('pixels:   640×480\n');
    expect(privateRead).toBe(200);
    expect(JSON.parse(presignPut.stdout)).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'image/png', 'x-amz-meta-original-filename': 'big.png' },
    });
    expect(JSON.parse(rm.stdout)).toEqual([{ target: uploaded.key, deleted: true }]);
    expect(infoAfter.code).toBe(EXIT.failed);
    expect(infoAfter.stderr).toMatch(/^s3ip: NOT_FOUND \(HTTP 404\)/);
  });
});

describe('s3ip as a process', () => {
  const env = () => ({
    ...process.env,
    PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
    S3IP_API_URL: server.apiUrl,
    S3IP_API_KEY: KEY,
  });

  it('runs from its TypeScript sources on Node 24 and exits 3 on a wrong key', async () => {
    // Act
    const failed = await run(process.execPath, [join(PACKAGE, 'src', 'cli.ts'), 'ls'], {
      env: { ...env(), S3IP_API_KEY: WRONG_KEY },
    }).catch((err) => err);

    // Assess
    expect(failed.code).toBe(EXIT.auth);
    expect(failed.stderr).toBe('s3ip: FORBIDDEN (HTTP 403): a valid x-api-key header is required\n');
  });
});
