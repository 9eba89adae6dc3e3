import { describe, expect, it } from 'vitest';
import { SigV4Presigner, uriEscape, type PresignerOptions } from '../../lambdas/core/sigv4-presign';
import { presignWithSmithy } from '../support/smithy-presign';

const LONG_TERM = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SESSION = {
  ...LONG_TERM,
  accessKeyId: 'ASIAEXAMPLE',
  sessionToken: 'IQoJb3JpZ2luX2Vj//+session/token==',
};
const NOW = Date.UTC(2025, 0, 31, 23, 59, 58);

const VIRTUAL_HOSTED: PresignerOptions = {
  credentials: LONG_TERM,
  region: 'eu-west-3',
  origin: 'https://images-bucket.s3.eu-west-3.amazonaws.com',
  basePath: '',
};
const PATH_STYLE: PresignerOptions = {
  credentials: SESSION,
  region: 'us-east-1',
  origin: 'http://127.0.0.1:45123',
  basePath: '/local-images',
};

const PNG_PUT = { 'content-type': 'image/png', 'content-length': '12345' };

describe('SigV4Presigner', () => {
  it.each([
    [
      'PUT, virtual-hosted, long-term keys',
      VIRTUAL_HOSTED,
      'PUT',
      '_incoming/alice/0123abcd.png',
      PNG_PUT,
      3600,
      NOW,
    ],
    [
      'PUT, path style, session token',
      PATH_STYLE,
      'PUT',
      '_incoming/bob/ffee.jpg',
      { 'content-type': 'image/jpeg', 'content-length': '104857600' },
      900,
      NOW,
    ],
    [
      'PUT with a metadata header',
      VIRTUAL_HOSTED,
      'PUT',
      '_incoming/a/x.webp',
      { ...PNG_PUT, 'x-amz-meta-original-filename': 'my%20photo.png' },
      60,
      NOW,
    ],
    [
      'GET, virtual-hosted',
      VIRTUAL_HOSTED,
      'GET',
      'alice/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png',
      {},
      604_800,
      NOW,
    ],
    [
      'GET, path style, day boundary',
      PATH_STYLE,
      'GET',
      'carol/a b+c(1)!*.gif',
      {},
      1,
      Date.UTC(2024, 1, 29, 0, 0, 0),
    ],
    ['GET of a key with unicode', VIRTUAL_HOSTED, 'GET', 'dave/photo-é-日本.png', {}, 300, NOW],
  ] as const)(
    'signs exactly as @smithy/signature-v4 does: %s',
    async (_name, options, method, key, headers, expiresInSeconds, nowMs) => {
      // Prepare
      const presigner = new SigV4Presigner(options);
      const path = `${options.basePath}/${key.split('/').map(uriEscape).join('/')}`;

      // Act
      const url = new URL(presigner.presign({ method, key, headers, expiresInSeconds, nowMs }));
      const oracle = await presignWithSmithy({ ...options, path, method, headers, expiresInSeconds, nowMs });

      // Assess
      expect(url.pathname).toBe(path);
      expect(`${url.protocol}//${url.host}`).toBe(options.origin);
      expect(Object.fromEntries(url.searchParams)).toEqual(Object.fromEntries(oracle));
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('gives the same signatures from a warm cache as from a cold one, across days', () => {
    // Prepare
    const warm = new SigV4Presigner(VIRTUAL_HOSTED);
    const times = [NOW, NOW + 5_000, NOW + 86_400_000, NOW];

    // Act
    const fromWarm = times.map((nowMs) =>
      warm.presign({ method: 'GET', key: 'a/b.png', expiresInSeconds: 60, nowMs }),
    );
    const fromCold = times.map((nowMs) =>
      new SigV4Presigner(VIRTUAL_HOSTED).presign({
        method: 'GET',
        key: 'a/b.png',
        expiresInSeconds: 60,
        nowMs,
      }),
    );

    // Assess
    expect(fromWarm).toEqual(fromCold);
  });

  it('binds content-type and content-length into a PUT', () => {
    // Prepare
    const presigner = new SigV4Presigner(VIRTUAL_HOSTED);
    const sign = (headers: Record<string, string>) =>
      new URL(
        presigner.presign({
          method: 'PUT',
          key: '_incoming/alice/x.png',
          headers,
          expiresInSeconds: 600,
          nowMs: NOW,
        }),
      ).searchParams;

    // Act
    const base = sign(PNG_PUT);
    const otherLength = sign({ ...PNG_PUT, 'content-length': '12346' });
    const otherType = sign({ ...PNG_PUT, 'content-type': 'image/svg+xml' });

    // Assess
    expect(base.get('X-Amz-SignedHeaders')!.split(';')).toEqual(['content-length', 'content-type', 'host']);
    expect(otherLength.get('X-Amz-Signature')).not.toBe(base.get('X-Amz-Signature'));
    expect(otherType.get('X-Amz-Signature')).not.toBe(base.get('X-Amz-Signature'));
  });

  it.each([
    ['the key', { key: 'alice/y.png' }],
    ['the method', { method: 'GET' as const }],
    ['the expiry', { expiresInSeconds: 601 }],
    ['the time', { nowMs: NOW + 1_000 }],
  ])('changes the signature when %s changes', (_name, change) => {
    // Prepare
    const presigner = new SigV4Presigner(VIRTUAL_HOSTED);
    const input = {
      method: 'PUT' as const,
      key: 'alice/x.png',
      headers: PNG_PUT,
      expiresInSeconds: 600,
      nowMs: NOW,
    };
    const signatureOf = (url: string) => new URL(url).searchParams.get('X-Amz-Signature');

    // Act
    const before = signatureOf(presigner.presign(input));
    const after = signatureOf(presigner.presign({ ...input, ...change }));

    // Assess
    expect(after).not.toBe(before);
  });

  it.each([0, -1, 604_801, 1.5, Number.NaN])('refuses an expiry of %s seconds', (expiresInSeconds) => {
    // Prepare
    const presigner = new SigV4Presigner(VIRTUAL_HOSTED);

    // Act
    const act = () => presigner.presign({ method: 'GET', key: 'a/b.png', expiresInSeconds, nowMs: NOW });

    // Assess
    expect(act).toThrow(RangeError);
  });
});
