import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import {
  createPinnedTransport,
  type HostResolver,
  type SourceTransport,
} from '../../lambdas/adapters/source-fetcher';
import { makeImage, makeNoisyPng } from '../support/image-fixtures';
import { captureLogs, findLeaks } from '../support/log-capture';
import { refuseNonLoopbackConnections } from '../support/loopback-only';
import { sidewaysPhoneJpeg } from '../support/model-ready-fixtures';
import {
  answerStatus,
  endlessBody,
  redirectTo,
  serveBytes,
  serveBytesWithAuthorization,
  slowDrip,
  type SourceServer,
  startSourceServer,
} from '../support/source-servers';
import { listStoredKeys } from '../support/stored-keys';
import { makeTempDir } from '../support/temp-dir';

// The access token of a Matrix bot, as its media download needs it.
const AUTHORIZATION = 'Bearer syt_Ym90_e2eAccessTokenThatMustNeverBeLogged_1a2b3c';
const API_KEY = 'key-url-uploads';
const MEDIA_PATH = '/_matrix/client/v1/media/download/example.test/AbCdEfGhIjKlMnOp';
// The media the Matrix example of docs/upload-from-url.md asks for (mxc://example.org/AbCdEfGhIjKlMnOp).
const EXAMPLE_MEDIA_PATH = '/_matrix/client/v1/media/download/example.org/AbCdEfGhIjKlMnOp';
const dir = makeTempDir('upload-from-url');

let guard: ReturnType<typeof refuseNonLoopbackConnections>;
let media: SourceServer;
let elsewhere: SourceServer;
let server: LocalServer;
let photo: Buffer;
let big: Buffer;

// Public-looking names, resolved by this table only: the system resolver is never asked, and no
// address outside loopback is ever dialled (the transport and the net below refuse it).
const NAMES: Record<string, string[]> = {
  'matrix.example.test': ['127.0.0.1'],
  'cdn.example.test': ['127.0.0.1'],
  'intranet.example.test': ['10.20.30.40'],
  'metadata.example.test': ['169.254.169.254'],
  'denied.example.test': ['93.184.216.34'],
};
const resolved: string[] = [];
const resolve: HostResolver = async (hostname) => {
  resolved.push(hostname);
  const addresses = NAMES[hostname];
  if (!addresses) throw Object.assign(new Error('unknown test name'), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const dialled: string[] = [];
const loopbackOnly: SourceTransport = (hop) => {
  dialled.push(...hop.addresses.map(({ address }) => address));
  if (hop.addresses.some(({ address }) => !address.startsWith('127.')))
    throw new Error('dialled outside loopback');
  return createPinnedTransport()(hop);
};

beforeAll(async () => {
  guard = refuseNonLoopbackConnections();
  [photo, big] = await Promise.all([sidewaysPhoneJpeg(1200, 900), makeNoisyPng(6_500_000, 13)]);
  const png = await makeImage('png', 40, 30);
  elsewhere = await startSourceServer({ '/image.png': serveBytes(png) });
  media = await startSourceServer({
    [MEDIA_PATH]: serveBytesWithAuthorization(photo, AUTHORIZATION, 'image/jpeg'),
    [EXAMPLE_MEDIA_PATH]: serveBytesWithAuthorization(photo, AUTHORIZATION, 'application/octet-stream'),
    '/big.png': serveBytes(big),
    '/login.html': serveBytes(
      Buffer.from('<!DOCTYPE html><html><body>Please sign in</body></html>'),
      'text/html',
    ),
    '/png-labelled-html': serveBytes(png, 'text/html; charset=utf-8'),
    '/to-cdn': redirectTo(() => `http://cdn.example.test:${elsewhere.port}/image.png`),
    '/to-intranet': redirectTo('http://intranet.example.test/admin/export.png'),
    '/to-metadata': redirectTo('http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
    '/loop/': redirectTo((url) => `/loop/${Number(url.pathname.split('/')[2]) + 1}`),
    '/endless': endlessBody(Buffer.alloc(65_536, 1)),
    '/drip': slowDrip(png.subarray(0, 16), 20),
    '/gone': answerStatus(404),
  });
  // The logger reads its level when local mode builds it: DEBUG shows everything it could say.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  const capture = captureLogs();
  try {
    server = await startLocalServer({
      port: 0,
      dataDir: dir.path,
      clients: new Map([['bot', API_KEY]]),
      env: {
        SOURCE_ALLOW_HTTP: 'true',
        SOURCE_MAX_BYTES: String(8 * 1024 * 1024),
        // Below the largest source: a kept original from a URL may be larger than a direct upload.
        MAX_DIRECT_UPLOAD_BYTES: String(4 * 1024 * 1024),
        SOURCE_TIMEOUT_MS: '1500',
        SOURCE_STALL_TIMEOUT_MS: '1000',
        SOURCE_DENY_CIDRS: '93.184.216.0/24',
        LOCAL_SOURCE_LOOPBACK_ALLOWLIST: `127.0.0.1:${media.port},127.0.0.1:${elsewhere.port}`,
        THROTTLE_RATE_PER_SECOND: '1000',
        THROTTLE_BURST: '1000',
      },
      sourceNetwork: { resolve, transport: loopbackOnly },
    });
  } finally {
    capture.stop();
  }
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
  await media.close();
  await elsewhere.close();
  guard.restore();
  dir.remove();
});

const mediaUrl = (path: string) => `http://matrix.example.test:${media.port}${path}`;

async function uploadFrom(sourceUrl: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${server.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ sourceUrl, ...extra }),
  });
  return { status: response.status, text: await response.text() };
}
const storedKeys = () => listStoredKeys(server.s3Endpoint, server.bucketName);

describe('POST /uploads with sourceUrl, in local mode', () => {
  it('stores and serves, model-ready, a source that needs Authorization, and never logs the header', async () => {
    // Prepare
    const capture = captureLogs();

    // Act
    let answer: { status: number; text: string };
    try {
      answer = await uploadFrom(mediaUrl(MEDIA_PATH), {
        sourceHeaders: { Authorization: AUTHORIZATION },
        filename: 'cat.jpg',
      });
    } finally {
      capture.stop();
    }
    const json = JSON.parse(answer.text);
    const served = await fetch(json.url);
    const servedBytes = Buffer.from(await served.arrayBuffer());
    const metadata = await sharp(servedBytes).metadata();

    // Assess
    expect(answer.status).toBe(201);
    expect(json).toMatchObject({
      contentType: 'image/jpeg',
      width: 900,
      height: 1200,
      profile: 'universal',
      original: { contentType: 'image/jpeg', size: photo.length, width: 900, height: 1200 },
    });
    expect(served.status).toBe(200);
    expect({ width: metadata.width, height: metadata.height, exif: metadata.exif }).toEqual({
      width: 900,
      height: 1200,
      exif: undefined,
    });
    expect(media.requests.find((request) => request.path === MEDIA_PATH)?.headers.authorization).toBe(
      AUTHORIZATION,
    );
    expect(capture.text()).toContain('image stored');
    expect(findLeaks(capture.text(), { Authorization: AUTHORIZATION })).toEqual([]);
    expect(answer.text).not.toContain(AUTHORIZATION);
    expect(resolved).toContain('matrix.example.test');
  });

  it('answers exactly as a byte upload of the same image does', async () => {
    // Prepare
    const fromBytes = await fetch(`${server.apiUrl}/uploads`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'image/jpeg' },
      body: photo,
    });

    // Act
    const fromUrl = await uploadFrom(mediaUrl(MEDIA_PATH), {
      sourceHeaders: { authorization: AUTHORIZATION },
    });

    // Assess
    expect(fromUrl.status).toBe(fromBytes.status);
    expect(JSON.parse(fromUrl.text)).toEqual(await fromBytes.json());
  });

  it('fetches a source larger than what fits in a request (6 MiB), up to SOURCE_MAX_BYTES', async () => {
    // Act
    const { status, text } = await uploadFrom(mediaUrl('/big.png'), { fit: 'original' });

    // Assess
    expect(big.length).toBeGreaterThan(6 * 1024 * 1024);
    expect(status).toBe(201);
    expect(JSON.parse(text).original.size).toBe(big.length);
  });

  it('makes another profile, and a CDN rendition, of a source larger than a direct upload may be', async () => {
    // Prepare: kept behind its universal rendition, the 6+ MiB source outweighs MAX_DIRECT_UPLOAD_BYTES
    const stored = JSON.parse((await uploadFrom(mediaUrl('/big.png'))).text);

    // Act
    const another = await fetch(`${server.apiUrl}/renditions`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ key: stored.key, fit: 'original' }),
    });
    const resized = await fetch(`${stored.url}?w=320`);

    // Assess
    expect(big.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(another.status).toBe(201);
    expect(((await another.json()) as { width: number }).width).toBeGreaterThan(0);
    expect(resized.status).toBe(200);
    expect((await sharp(Buffer.from(await resized.arrayBuffer())).metadata()).width).toBe(320);
  });

  it('follows a redirect to another allowed host without the source headers', async () => {
    // Act
    const { status } = await uploadFrom(mediaUrl('/to-cdn'), {
      sourceHeaders: { Authorization: AUTHORIZATION },
    });

    // Assess
    expect(status).toBe(201);
    expect(elsewhere.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('takes PNG bytes the source labels text/html: the bytes decide the type', async () => {
    // Act
    const { status, text } = await uploadFrom(mediaUrl('/png-labelled-html'));

    // Assess
    expect(status).toBe(201);
    expect(JSON.parse(text).contentType).toBe('image/png');
  });
});

describe('the Matrix bot example of docs/upload-from-url.md', () => {
  it('runs as written against a homeserver that needs the access token, and prints a model-ready URL', async () => {
    // Prepare: the page's block, pointed at this server, its key, and a homeserver on loopback.
    const page = readFileSync(join(import.meta.dirname, '../../docs/upload-from-url.md'), 'utf8');
    const block = [...page.matchAll(/```python\n([\s\S]*?)```/g)]
      .map((match) => match[1]!)
      .find((code) => code.includes('def model_url'));
    const example = block!
      .replace(/^API = .*$/m, `API = "${server.apiUrl}"`)
      .replace(/^API_KEY = .*$/m, `API_KEY = "${API_KEY}"`)
      .replace(/^HOMESERVER = .*$/m, `HOMESERVER = "http://127.0.0.1:${media.port}"`)
      .replace(/^ACCESS_TOKEN = .*$/m, `ACCESS_TOKEN = "${AUTHORIZATION.slice('Bearer '.length)}"`);

    // Act: no proxy variables, so Python's urllib talks to loopback directly.
    const { stdout } = await promisify(execFile)('python3', ['-c', example], {
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });

    // Assess
    expect(stdout.trim()).toMatch(new RegExp(`^${server.cdnBaseUrl}/bot/[0-9a-f]{40}\\.jpg$`));
    expect(media.requests.at(-1)).toMatchObject({
      path: EXAMPLE_MEDIA_PATH,
      headers: expect.objectContaining({ authorization: AUTHORIZATION }),
    });
  });
});

describe('the guard table: every row refused with its code, nothing stored', () => {
  it.each([
    ['127.0.0.1', () => 'https://127.0.0.1/', 400, 'SOURCE_FORBIDDEN'],
    ['[::1]', () => 'https://[::1]/', 400, 'SOURCE_FORBIDDEN'],
    ['0.0.0.0', () => 'https://0.0.0.0/', 400, 'SOURCE_FORBIDDEN'],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', 400, 'SOURCE_FORBIDDEN'],
    ['[fd00::1]', () => 'https://[fd00::1]/', 400, 'SOURCE_FORBIDDEN'],
    ['the IPv6 metadata address', () => 'http://[fd00:ec2::254]/latest/meta-data/', 400, 'SOURCE_FORBIDDEN'],
    ['[::ffff:127.0.0.1]', () => 'https://[::ffff:127.0.0.1]/', 400, 'SOURCE_FORBIDDEN'],
    ['decimal 127.0.0.1 (2130706433)', () => 'https://2130706433/', 400, 'SOURCE_FORBIDDEN'],
    ['octal 127.0.0.1 (0177.0.0.1)', () => 'https://0177.0.0.1/', 400, 'SOURCE_FORBIDDEN'],
    ['hex 127.0.0.1 (0x7f.0.0.1)', () => 'https://0x7f.0.0.1/', 400, 'SOURCE_FORBIDDEN'],
    ['decimal 169.254.169.254 (2852039166)', () => 'http://2852039166/', 400, 'SOURCE_FORBIDDEN'],
    ['127.0.0.1 over plain http on port 80', () => 'http://127.0.0.1/', 400, 'SOURCE_FORBIDDEN'],
    [
      'a host name resolving to a private address',
      () => 'https://intranet.example.test/',
      400,
      'SOURCE_FORBIDDEN',
    ],
    [
      'a host name resolving to the metadata address',
      () => 'http://metadata.example.test/',
      400,
      'SOURCE_FORBIDDEN',
    ],
    ['an address on the deny list', () => 'https://denied.example.test/', 400, 'SOURCE_FORBIDDEN'],
    ['a port not allowed', () => 'https://cdn.example.test:8443/', 400, 'SOURCE_FORBIDDEN'],
    [
      'a redirect from a public-looking host to a private one',
      () => mediaUrl('/to-intranet'),
      400,
      'SOURCE_FORBIDDEN',
    ],
    ['a redirect to the metadata address', () => mediaUrl('/to-metadata'), 400, 'SOURCE_FORBIDDEN'],
    ['a 30-redirect loop', () => mediaUrl('/loop/0'), 502, 'SOURCE_UNAVAILABLE'],
    ['an endless body', () => mediaUrl('/endless'), 413, 'PAYLOAD_TOO_LARGE'],
    ['a slow-drip body', () => mediaUrl('/drip'), 502, 'SOURCE_UNAVAILABLE'],
    ['a 200 with HTML', () => mediaUrl('/login.html'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a source answering 404', () => mediaUrl('/gone'), 502, 'SOURCE_UNAVAILABLE'],
    ['an unresolvable host', () => 'https://nowhere.example.test/', 502, 'SOURCE_UNAVAILABLE'],
    ['credentials in the URL', () => 'https://bot:pw@matrix.example.test/', 400, 'INVALID_SOURCE_URL'],
  ])('%s', async (_, url, status, code) => {
    // Prepare
    const before = await storedKeys();

    // Act
    const answer = await uploadFrom(url(), { sourceHeaders: { Authorization: AUTHORIZATION } });

    // Assess
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.text)).toMatchObject({ error: code, message: expect.any(String) });
    expect(await storedKeys()).toEqual(before);
    expect(answer.text).not.toMatch(/10\.20\.30\.40|169\.254\.169\.254|93\.184\.216\.34/);
    expect(dialled.every((address) => address.startsWith('127.'))).toBe(true);
    expect(guard.refused).toEqual([]);
  });

  it('reports the status of a source that answered, and never the address a name resolved to', async () => {
    // Act
    const gone = JSON.parse((await uploadFrom(mediaUrl('/gone'))).text);
    const unauthorized = JSON.parse((await uploadFrom(mediaUrl(MEDIA_PATH))).text);
    const intranet = JSON.parse((await uploadFrom('https://intranet.example.test/')).text);

    // Assess
    expect(gone).toMatchObject({ error: 'SOURCE_UNAVAILABLE', sourceStatus: 404 });
    expect(unauthorized).toMatchObject({ error: 'SOURCE_UNAVAILABLE', sourceStatus: 401 });
    expect(intranet.message).not.toContain('10.20.30.40');
    expect(intranet.sourceStatus).toBeUndefined();
  });
});
