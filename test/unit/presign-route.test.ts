import { describe, expect, it, vi } from 'vitest';
import { S3UrlSigner, type CredentialProvider } from '../../lambdas/adapters/url-signer';
import { PRESIGNED_PUT_HEADERS } from '../../lambdas/core/presign-request';
import { createPresignRoute } from '../../lambdas/routes/presign';
import { fakeLogger } from '../support/fake-logger';
import { DEFAULT_FITS } from '../support/fits';
import { BOB_SHA } from '../support/key-spellings';
import { presignWithSmithy } from '../support/smithy-presign';
import { InMemoryPresignQuota } from '../../lambdas/adapters/presign-quota';
import { quietMetrics } from '../support/emf';

const NOW = Date.UTC(2025, 4, 6, 7, 8, 9);
const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret/key+example',
  sessionToken: 'token==',
};
const ID = 'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb';

function setup(provider: CredentialProvider = async () => CREDENTIALS, nowMs = () => NOW) {
  const route = createPresignRoute({
    signer: new S3UrlSigner({
      credentials: provider,
      region: 'eu-central-1',
      bucketName: 'img-bucket',
      now: nowMs,
    }),
    clientsByKeyId: new Map([['id-a', 'alice']]),
    publicBaseUrl: 'https://cdn.example.com',
    settings: {
      defaultExpiresSeconds: 3600,
      maxExpiresSeconds: 86_400,
      maxDirectUploadBytes: 100 * 1024 * 1024,
    },
    fits: DEFAULT_FITS,
    logger: fakeLogger(),
    metrics: quietMetrics('presign'),
    quota: new InMemoryPresignQuota({ uploads: 1000, windowSeconds: 3600 }),
    newUploadId: () => ID,
  });
  return async (body: unknown) => {
    const result = await route(
      {
        body: JSON.stringify(body),
        isBase64Encoded: false,
        requestContext: { identity: { apiKeyId: 'id-a' } },
      } as never,
      {
        awsRequestId: 'r1',
      },
    );
    return { status: result.statusCode, json: JSON.parse(result.body) };
  };
}

describe('POST /presign', () => {
  it('signs a PUT into quarantine that binds type and size, exactly as the SDK signer would', async () => {
    // Prepare
    const presign = setup();

    // Act
    const { status, json } = await presign({
      method: 'PUT',
      contentType: 'image/png',
      contentLength: 20_000_000,
    });

    // Assess
    expect(status).toBe(200);
    expect(json).toMatchObject({
      method: 'PUT',
      uploadId: ID,
      statusPath: `/uploads/${ID}`,
      fit: 'universal',
      headers: { 'content-type': 'image/png', 'content-length': '20000000', 'x-amz-meta-fit': 'universal' },
      expiresAt: new Date(NOW + 3600_000).toISOString(),
    });
    const url = new URL(json.url);
    expect(url.host).toBe('img-bucket.s3.eu-central-1.amazonaws.com');
    expect(url.pathname).toBe(`/_incoming/alice/${ID}.png`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;x-amz-meta-fit',
    );
    const oracle = await presignWithSmithy({
      credentials: CREDENTIALS,
      region: 'eu-central-1',
      origin: url.origin,
      path: url.pathname,
      method: 'PUT',
      headers: json.headers,
      expiresInSeconds: 3600,
      nowMs: NOW,
    });
    expect(url.searchParams.get('X-Amz-Signature')).toBe(oracle.get('X-Amz-Signature'));
  });

  it('signs the original filename as metadata the client must send', async () => {
    // Prepare
    const presign = setup();

    // Act
    const { json } = await presign({
      method: 'PUT',
      contentType: 'image/webp',
      contentLength: 5,
      filename: 'my cat.webp',
    });

    // Assess
    expect(json.headers['x-amz-meta-original-filename']).toBe('my%20cat.webp');
    expect(new URL(json.url).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;x-amz-meta-fit;x-amz-meta-original-filename',
    );
  });

  it('signs the asked profile, and refuses one that does not exist', async () => {
    // Prepare
    const presign = setup();

    // Act
    const openai = await presign({
      method: 'PUT',
      contentType: 'image/jpeg',
      contentLength: 5,
      fit: 'openai',
    });
    const unknown = await presign({
      method: 'PUT',
      contentType: 'image/jpeg',
      contentLength: 5,
      fit: 'gpt-9',
    });

    // Assess
    expect(openai.json.headers['x-amz-meta-fit']).toBe('openai');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toBe('UNKNOWN_PROFILE');
  });

  it('binds only headers PRESIGNED_PUT_HEADERS lists, which the bucket CORS rule allows browsers to send', async () => {
    // Prepare
    const presign = setup();

    // Act
    const { json } = await presign({
      method: 'PUT',
      contentType: 'image/png',
      contentLength: 5,
      filename: 'a.png',
    });

    // Assess
    expect(PRESIGNED_PUT_HEADERS).toEqual(expect.arrayContaining(Object.keys(json.headers)));
    const signed = new URL(json.url).searchParams
      .get('X-Amz-SignedHeaders')!
      .split(';')
      .filter((name) => name !== 'host');
    expect(PRESIGNED_PUT_HEADERS).toEqual(expect.arrayContaining(signed));
  });

  it('answers a batch in one call', async () => {
    // Prepare
    const presign = setup();
    const own = `alice/${BOB_SHA}.png`;

    // Act
    const { status, json } = await presign({
      items: [
        { method: 'GET', key: own, expiresIn: 60 },
        { method: 'PUT', contentType: 'image/gif', contentLength: 9 },
      ],
    });

    // Assess
    expect(status).toBe(200);
    expect(
      json.items.map(
        (item: { method: string; key?: string; uploadId?: string }) =>
          `${item.method} ${item.key ?? item.uploadId}`,
      ),
    ).toEqual([`GET ${own}`, `PUT ${ID}`]);
    expect(new URL(json.items[0].url).pathname).toBe(`/${own}`);
    expect(json.items[0].expiresAt).toBe(new Date(NOW + 60_000).toISOString());
  });

  it.each([
    ["another client's key", { method: 'GET', key: `bob/${BOB_SHA}.png` }],
    [
      'a batch with one foreign key',
      {
        items: [
          { method: 'GET', key: `alice/${BOB_SHA}.png` },
          { method: 'GET', key: `bob/${BOB_SHA}.png` },
        ],
      },
    ],
  ])('signs nothing for %s', async (_name, body) => {
    // Prepare
    const presign = setup();

    // Act
    const { status, json } = await presign(body);

    // Assess
    expect(status).toBe(404);
    expect(JSON.stringify(json)).not.toContain('X-Amz-Signature');
  });

  it('states the real expiry when the credentials expire first', async () => {
    // Prepare
    const expiration = new Date(NOW + 20 * 60_000);
    const presign = setup(async () => ({ ...CREDENTIALS, expiration }));

    // Act
    const { json } = await presign({ method: 'GET', key: `alice/${BOB_SHA}.png`, expiresIn: 3600 });

    // Assess
    expect(json.expiresAt).toBe(expiration.toISOString());
    expect(new URL(json.url).searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  it('reuses credentials, and refreshes them shortly before they expire', async () => {
    // Prepare
    let now = NOW;
    const provider = vi.fn<CredentialProvider>(async () => ({
      ...CREDENTIALS,
      expiration: new Date(NOW + 30 * 60_000),
    }));
    const presign = setup(provider, () => now);

    // Act
    await presign({ method: 'GET', key: `alice/${BOB_SHA}.png` });
    await presign({ method: 'GET', key: `alice/${BOB_SHA}.png` });
    const callsWhileFresh = provider.mock.calls.length;
    now = NOW + 26 * 60_000;
    await presign({ method: 'GET', key: `alice/${BOB_SHA}.png` });

    // Assess
    expect(callsWhileFresh).toBe(1);
    expect(provider).toHaveBeenCalledTimes(2);
    expect(provider).toHaveBeenLastCalledWith({ forceRefresh: true });
  });
});
