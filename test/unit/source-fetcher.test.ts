import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SourceFetchSettings } from '../../lambdas/settings/source-fetch';
import {
  createPinnedTransport,
  createSourceFetcher,
  type HostResolver,
  type SourceHop,
  type SourceTransport,
} from '../../lambdas/adapters/source-fetcher';
import { parseAddressRange } from '../../lambdas/core/source-address';
import type { SourcePolicy } from '../../lambdas/core/source-policy';
import { refuseNonLoopbackConnections } from '../support/loopback-only';
import {
  answerStatus,
  endlessBody,
  neverAnswer,
  redirectTo,
  serveBytes,
  serveBytesWithAuthorization,
  slowDrip,
  type SourceServer,
  stallAfter,
  startSourceServer,
  truncatedBody,
} from '../support/source-servers';
import { makeTempDir } from '../support/temp-dir';

const TOKEN = 'Bearer syt_source_fetcher_secret_0123456789';
const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const IMAGE = Buffer.concat([PNG_HEAD, Buffer.alloc(2000, 7)]);

let guard: ReturnType<typeof refuseNonLoopbackConnections>;
let source: SourceServer;
let elsewhere: SourceServer;

// Names are resolved by this table only: the system resolver is never asked.
const NAMES: Record<string, string[]> = {
  'images.test': ['127.0.0.1'],
  'other.test': ['127.0.0.1'],
  'private.test': ['10.1.2.3'],
  'metadata.test': ['169.254.169.254'],
  'metadata6.test': ['fd00:ec2::254'],
  'loopback6.test': ['::1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'cgnat.test': ['100.64.1.1'],
  'unspecified.test': ['0.0.0.0'],
  'mixed.test': ['93.184.216.34', '192.168.0.10'],
  'denied.test': ['93.184.216.34'],
};
const resolutions: string[] = [];
const resolve: HostResolver = async (hostname) => {
  resolutions.push(hostname);
  const addresses = NAMES[hostname];
  if (!addresses) throw Object.assign(new Error(`no such test name ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

// Every hop is recorded; one aimed outside loopback fails the test before any socket exists.
const hops: SourceHop[] = [];
const loopbackOnly =
  (inner: SourceTransport): SourceTransport =>
  (hop) => {
    hops.push(hop);
    const outside = hop.addresses.find(({ address }) => !/^(127\.|::1$)/.test(address));
    if (outside) throw new Error(`the fetcher tried to connect to ${outside.address}`);
    return inner(hop);
  };

function settings(policy: Partial<SourcePolicy> = {}, limits: Partial<SourceFetchSettings['limits']> = {}) {
  return {
    policy: {
      allowHttp: true,
      allowedPorts: new Set([443, 80]),
      hostAllowlist: undefined,
      denyRanges: [],
      headerAllowlist: new Set(['authorization']),
      loopbackExceptions: [
        { address: '127.0.0.1', port: source.port },
        { address: '127.0.0.1', port: elsewhere.port },
      ],
      ...policy,
    },
    limits: { maxRedirects: 3, timeoutMs: 2000, stallTimeoutMs: 1000, maxBytes: 100_000, ...limits },
  };
}
const fetcher = (...args: Parameters<typeof settings>) =>
  createSourceFetcher(settings(...args), { resolve, transport: loopbackOnly(createPinnedTransport()) });
const fetchFrom = (url: string, headers: Record<string, string> = {}, ...args: Parameters<typeof settings>) =>
  fetcher(...args).fetch({ url: new URL(url), headers });

beforeAll(async () => {
  guard = refuseNonLoopbackConnections();
  elsewhere = await startSourceServer({ '/image.png': serveBytes(IMAGE) });
  source = await startSourceServer({
    '/private.png': serveBytesWithAuthorization(IMAGE, TOKEN),
    '/image.png': serveBytes(IMAGE),
    '/as-html.png': serveBytes(IMAGE, 'text/html'),
    '/same-origin': redirectTo('/private.png'),
    '/other-origin': redirectTo(() => `http://other.test:${elsewhere.port}/image.png`, 307),
    '/and-back': redirectTo(() => `http://other.test:${elsewhere.port}/back`),
    '/to-private': redirectTo('http://private.test/latest/meta-data/'),
    '/to-metadata': redirectTo('http://169.254.169.254/latest/meta-data/iam/security-credentials/', 301),
    '/to-decimal-loopback': redirectTo('http://2130706433/'),
    '/no-location': answerStatus(302),
    '/with-credentials': redirectTo('http://user:pass@images.test/'),
    '/loop/': redirectTo((url) => `/loop/${Number(url.pathname.split('/')[2]) + 1}`),
    '/endless': endlessBody(Buffer.alloc(16_384, 1)),
    '/too-large': serveBytes(Buffer.alloc(100_001)),
    '/exactly-the-cap': serveBytes(Buffer.alloc(100_000, 3)),
    '/drip': slowDrip(PNG_HEAD, 20),
    '/stall': stallAfter(PNG_HEAD),
    '/hang': neverAnswer,
    '/truncated': truncatedBody(PNG_HEAD, 5000),
    '/status/404': answerStatus(404),
    '/status/503': answerStatus(503),
  });
});

afterAll(async () => {
  await source.close();
  await elsewhere.close();
  guard.restore();
});

beforeEach(() => {
  hops.length = 0;
  resolutions.length = 0;
  source.requests.length = 0;
  elsewhere.requests.length = 0;
});

describe('the loopback-only net of these tests', () => {
  it('fails a connection outside loopback before it is attempted, and records it', async () => {
    // Act: 192.0.2.1 is a documentation address; the net refuses it before any connect.
    const socket = connect({ host: '192.0.2.1', port: 443 });
    const failure = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));

    // Assess
    expect(failure.code).toBe('ECONNREFUSED');
    expect(guard.refused.splice(0)).toEqual(['192.0.2.1']);
  });
});

describe('source fetcher: fetching', () => {
  it('fetches a source that needs Authorization, over the address its name resolved to', async () => {
    // Act
    const fetched = await fetchFrom(`http://images.test:${source.port}/private.png`, {
      authorization: TOKEN,
    });

    // Assess
    expect(fetched.bytes.equals(IMAGE)).toBe(true);
    expect(fetched.redirects).toBe(0);
    expect(resolutions).toEqual(['images.test']);
    expect(source.requests).toEqual([
      expect.objectContaining({
        path: '/private.png',
        headers: expect.objectContaining({ authorization: TOKEN, 'accept-encoding': 'identity' }),
      }),
    ]);
  });

  it('keeps the source headers across a redirect on the same origin', async () => {
    // Act
    const fetched = await fetchFrom(`http://images.test:${source.port}/same-origin`, {
      authorization: TOKEN,
    });

    // Assess
    expect(fetched.redirects).toBe(1);
    expect(source.requests.map((request) => request.headers.authorization)).toEqual([TOKEN, TOKEN]);
  });

  it('drops the source headers at a redirect to another host, and does not send them again', async () => {
    // Act
    const fetched = await fetchFrom(`http://images.test:${source.port}/other-origin`, {
      authorization: TOKEN,
    });
    const back = fetchFrom(`http://images.test:${source.port}/and-back`, { authorization: TOKEN });

    // Assess
    expect(fetched.bytes.equals(IMAGE)).toBe(true);
    expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
    await expect(back).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', sourceStatus: 404 });
    expect(elsewhere.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
  });

  it('hands back what a text/html Content-Type labels, for the bytes to decide', async () => {
    // Act
    const fetched = await fetchFrom(`http://images.test:${source.port}/as-html.png`);

    // Assess
    expect(fetched.bytes.equals(IMAGE)).toBe(true);
    expect(fetched.contentType).toBe('text/html');
  });

  it('accepts a body of exactly the byte cap', async () => {
    // Act
    const fetched = await fetchFrom(`http://images.test:${source.port}/exactly-the-cap`);

    // Assess
    expect(fetched.bytes.length).toBe(100_000);
  });
});

describe('source fetcher: the address guard, with injected name resolution', () => {
  it.each([
    ['127.0.0.1 on a port without an exception', 'https://127.0.0.1/'],
    ['[::1]', 'https://[::1]/'],
    ['0.0.0.0', 'https://0.0.0.0/'],
    ['169.254.169.254', 'http://169.254.169.254/latest/meta-data/'],
    ['[fd00::1]', 'https://[fd00::1]/'],
    ['[fd00:ec2::254]', 'https://[fd00:ec2::254]/'],
    ['[::ffff:127.0.0.1]', 'https://[::ffff:127.0.0.1]/'],
    ['[::ffff:169.254.169.254]', 'https://[::ffff:169.254.169.254]/'],
    ['decimal 2130706433', 'https://2130706433/'],
    ['octal 0177.0.0.1', 'https://0177.0.0.1/'],
    ['hex 0x7f.0.0.1', 'https://0x7f.0.0.1/'],
    ['short 127.1', 'https://127.1/'],
    ['a private name', 'https://private.test/'],
    ['a metadata name', 'https://metadata.test/'],
    ['an IPv6 metadata name', 'https://metadata6.test/'],
    ['an IPv6 loopback name', 'https://loopback6.test/'],
    ['an IPv4-mapped loopback name', 'https://mapped.test/'],
    ['a carrier-grade NAT name', 'https://cgnat.test/'],
    ['an unspecified name', 'https://unspecified.test/'],
    ['a name with a public and a private address', 'https://mixed.test/'],
    ['the loopback test server on a port without an exception', `http://images.test:${80}/image.png`],
  ])('refuses %s before connecting', async (_, url) => {
    // Act
    const fetched = fetchFrom(url, { authorization: TOKEN });

    // Assess
    await expect(fetched).rejects.toMatchObject({ statusCode: 400, code: 'SOURCE_FORBIDDEN' });
    expect(hops).toEqual([]);
    expect(guard.refused).toEqual([]);
  });

  it('never says what the host resolved to', async () => {
    // Act
    const fetched = fetchFrom('https://private.test/');

    // Assess
    await expect(fetched).rejects.toThrow(/not a public address/);
    await expect(fetched).rejects.not.toThrow(/10\.1\.2\.3/);
  });

  it('refuses an address on the deployment deny list', async () => {
    // Act
    const fetched = fetchFrom(
      'https://denied.test/',
      {},
      { denyRanges: [parseAddressRange('93.184.216.0/24')] },
    );

    // Assess
    await expect(fetched).rejects.toMatchObject({ code: 'SOURCE_FORBIDDEN', reason: 'deny-list' });
    expect(hops).toEqual([]);
  });

  it('fetches only allow-listed hosts when an allow list is set', async () => {
    // Prepare
    const hostAllowlist = [{ host: 'images.test', subdomains: false }];

    // Act
    const allowed = await fetchFrom(`http://images.test:${source.port}/image.png`, {}, { hostAllowlist });
    const refused = fetchFrom(`http://other.test:${elsewhere.port}/image.png`, {}, { hostAllowlist });

    // Assess
    expect(allowed.bytes.equals(IMAGE)).toBe(true);
    await expect(refused).rejects.toMatchObject({ code: 'SOURCE_FORBIDDEN', reason: 'host' });
    expect(resolutions).toEqual(['images.test']);
  });

  it.each([
    ['plain http where it is not allowed', 'http://images.test/image.png', { allowHttp: false }],
    ['a port not allowed', 'https://images.test:8443/image.png', {}],
  ])('refuses %s', async (_, url, policy) => {
    // Assess
    await expect(fetchFrom(url, {}, policy)).rejects.toMatchObject({ code: 'SOURCE_FORBIDDEN' });
    expect(hops).toEqual([]);
  });

  it.each([
    ['a name resolving to a private address', '/to-private'],
    ['the metadata address', '/to-metadata'],
    ['a decimal spelling of loopback', '/to-decimal-loopback'],
  ])('refuses a redirect from a public-looking host to %s', async (_, path) => {
    // Act
    const fetched = fetchFrom(`http://images.test:${source.port}${path}`, { authorization: TOKEN });

    // Assess
    await expect(fetched).rejects.toMatchObject({ statusCode: 400, code: 'SOURCE_FORBIDDEN' });
    expect(hops).toHaveLength(1);
    expect(guard.refused).toEqual([]);
  });

  it('refuses a connection that reached another address than the checked one', async () => {
    // Prepare: the checked address is 127.0.0.2; a transport that ignores the pinned lookup dials 127.0.0.1.
    const stray: SourceTransport = (hop) =>
      httpRequest({ host: '127.0.0.1', port: hop.url.port, path: hop.url.pathname, signal: hop.signal });
    const strayFetcher = createSourceFetcher(
      settings({ loopbackExceptions: [{ address: '127.0.0.2', port: source.port }] }),
      { resolve: async () => [{ address: '127.0.0.2', family: 4 }], transport: stray },
    );

    // Act
    const fetched = strayFetcher.fetch({
      url: new URL(`http://images.test:${source.port}/image.png`),
      headers: {},
    });

    // Assess
    await expect(fetched).rejects.toMatchObject({ code: 'SOURCE_FORBIDDEN', reason: 'connected-elsewhere' });
  });
});

describe('source fetcher: limits and failures', () => {
  it.each([
    ['an endless body', '/endless', 413, 'PAYLOAD_TOO_LARGE'],
    ['a declared length over the cap', '/too-large', 413, 'PAYLOAD_TOO_LARGE'],
    ['a slow-drip body', '/drip', 502, 'SOURCE_UNAVAILABLE'],
    ['a body that stalls', '/stall', 502, 'SOURCE_UNAVAILABLE'],
    ['a source that never answers', '/hang', 502, 'SOURCE_UNAVAILABLE'],
    ['a truncated body', '/truncated', 502, 'SOURCE_UNAVAILABLE'],
    ['a 30-redirect loop', '/loop/0', 502, 'SOURCE_UNAVAILABLE'],
    ['a redirect without Location', '/no-location', 502, 'SOURCE_UNAVAILABLE'],
    ['a redirect with credentials', '/with-credentials', 400, 'SOURCE_FORBIDDEN'],
  ])('answers %s with %i %s', async (_, path, statusCode, code) => {
    // Act
    const fetched = fetchFrom(`http://images.test:${source.port}${path}`);

    // Assess
    await expect(fetched).rejects.toMatchObject({ statusCode, code });
  });

  it('stops a redirect loop after the configured number of redirects', async () => {
    // Act
    const fetched = fetchFrom(`http://images.test:${source.port}/loop/0`);

    // Assess
    await expect(fetched).rejects.toThrow('redirected more than 3 times');
    expect(source.requests.map((request) => request.path)).toEqual([
      '/loop/0',
      '/loop/1',
      '/loop/2',
      '/loop/3',
    ]);
  });

  it('tells a stalled body from one that is merely slow', async () => {
    // Assess
    await expect(fetchFrom(`http://images.test:${source.port}/stall`)).rejects.toThrow('stopped sending');
    await expect(fetchFrom(`http://images.test:${source.port}/drip`)).rejects.toThrow(
      'did not send the whole image within 2 s',
    );
  });

  it.each([404, 503])('answers a source status %i with 502 and that status', async (status) => {
    // Act
    const fetched = fetchFrom(`http://images.test:${source.port}/status/${status}`);

    // Assess
    await expect(fetched).rejects.toMatchObject({
      statusCode: 502,
      code: 'SOURCE_UNAVAILABLE',
      sourceStatus: status,
    });
  });

  it('answers 401 without the header the source needs with 502 and status 401', async () => {
    // Assess
    await expect(fetchFrom(`http://images.test:${source.port}/private.png`)).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      sourceStatus: 401,
    });
  });

  it('answers an unresolvable host and a closed port with 502', async () => {
    // Prepare: a port that was just free on loopback, excepted so the guard lets it through.
    const closed = await startSourceServer({});
    const port = closed.port;
    await closed.close();

    // Assess
    await expect(fetchFrom('https://nowhere.test/')).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: 'the source host could not be resolved',
    });
    await expect(
      fetchFrom(`http://images.test:${port}/`, {}, { loopbackExceptions: [{ address: '127.0.0.1', port }] }),
    ).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', message: 'the source could not be reached' });
  });
});

describe('source fetcher over TLS', () => {
  const dir = makeTempDir('source-tls');
  let tlsSource: SourceServer;
  let cert: string;

  beforeAll(async () => {
    // A certificate for images.test only, made for this run (openssl writes nothing under $HOME).
    const [keyPath, certPath] = [join(dir.path, 'key.pem'), join(dir.path, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '1',
        '-subj',
        '/CN=images.test',
        '-addext',
        'subjectAltName=DNS:images.test',
      ],
      { stdio: 'ignore', env: { ...process.env, RANDFILE: join(dir.path, '.rnd') } },
    );
    cert = readFileSync(certPath, 'utf8');
    tlsSource = await startSourceServer(
      { '/private.png': serveBytesWithAuthorization(IMAGE, TOKEN) },
      { key: readFileSync(keyPath, 'utf8'), cert },
    );
  });
  afterAll(async () => {
    await tlsSource.close();
    dir.remove();
  });

  const tlsFetcher = () =>
    createSourceFetcher(
      settings({ allowHttp: false, loopbackExceptions: [{ address: '127.0.0.1', port: tlsSource.port }] }),
      {
        resolve,
        transport: loopbackOnly(createPinnedTransport({ ca: cert })),
      },
    );

  it('connects to the pinned address and verifies the certificate against the host name', async () => {
    // Act
    const fetched = await tlsFetcher().fetch({
      url: new URL(`https://images.test:${tlsSource.port}/private.png`),
      headers: { authorization: TOKEN },
    });

    // Assess
    expect(fetched.bytes.equals(IMAGE)).toBe(true);
  });

  it('refuses a certificate for another name, even at the same address', async () => {
    // Act
    const fetched = tlsFetcher().fetch({
      url: new URL(`https://other.test:${tlsSource.port}/private.png`),
      headers: { authorization: TOKEN },
    });

    // Assess
    await expect(fetched).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: expect.stringContaining('TLS'),
    });
  });
});
