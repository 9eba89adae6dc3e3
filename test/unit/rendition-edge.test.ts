import { parse } from 'acorn';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CloudFrontFunctionEvent,
  type CloudFrontFunctionRequest,
  type CloudFrontFunctionResult,
  isCloudFrontFunctionResponse,
} from '../../infra/edge/cloudfront-function-types';
import {
  CLOUDFRONT_FUNCTION_MAX_BYTES,
  edgeEventOf,
  loadEdgeHandler,
  renditionEdgeCode,
} from '../../infra/edge/rendition-edge';
import { CDN_SECURITY_HEADERS } from '../../infra/edge-contract';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';
import {
  CDN_FORMATS,
  type CdnRenditionBounds,
  canonicalSpec,
  DEFAULT_QUALITY,
  DEFAULT_RENDITION_SIZES,
  parseCdnRenditionKey,
  RESIZE_FITS,
} from '../../lambdas/core/cdn-rendition';
import { PROFILE_NAMES } from '../../lambdas/core/model-profiles';

const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const KEY = `alice/${SHA}.jpg`;
const REQUEST_ID = 'edge-request-1';

/** Accept headers as the browsers send them for an `<img>`. */
const ACCEPT = {
  chrome: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  safari17:
    'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5',
  safari15: 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5',
  curl: '*/*',
};

/** The bounds a deployment has by default (sizes snapped to a list), and with `RENDITION_SIZES=any`. */
const SNAPPED = loadRenditionBounds({});
const ANY_SIZE = loadRenditionBounds({ RENDITION_SIZES: 'any' });

type Handler = (event: CloudFrontFunctionEvent) => CloudFrontFunctionResult;
const edgeFor = (bounds: CdnRenditionBounds): Handler => loadEdgeHandler(renditionEdgeCode(bounds));
const snappedEdge = edgeFor(SNAPPED);
const anySizeEdge = edgeFor(ANY_SIZE);

function run(
  handler: Handler,
  rawQuery: string,
  options: { uri?: string; accept?: string | undefined } = {},
): CloudFrontFunctionResult {
  const event = edgeEventOf({
    method: 'GET',
    uri: options.uri ?? `/${KEY}`,
    rawQuery,
    accept: options.accept,
    requestId: REQUEST_ID,
  });
  return handler(event);
}

/** The request the function passed on; fails with the answer when it answered instead. */
function forwarded(result: CloudFrontFunctionResult): CloudFrontFunctionRequest {
  if (isCloudFrontFunctionResponse(result)) {
    throw new Error(`expected the request to be passed on, got ${result.statusCode} ${result.body?.data}`);
  }
  return result;
}

/** The rewritten URI of a request the function passed on with no query string left. */
function uriOf(result: CloudFrontFunctionResult): string {
  const request = forwarded(result);
  expect(request.querystring).toEqual({});
  return request.uri;
}

interface ErrorBody {
  error: string;
  message: string;
  parameter?: string;
  requestId: string;
}

/** The status and JSON body of an answer the function made itself. */
function answerOf(result: CloudFrontFunctionResult): { status: number; body: ErrorBody } {
  if (!isCloudFrontFunctionResponse(result)) {
    throw new Error(`expected an answer, got the request to ${result.uri}`);
  }
  return { status: result.statusCode, body: JSON.parse(result.body!.data) as ErrorBody };
}

const renditionUri = (canonical: string, key: string = KEY) => `/_renditions/${key}/${canonical}`;

/** A small seeded generator (mulberry32), so generated cases are the same on every run. */
function randomFrom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { next, int, pick };
}

describe('rendition edge function: the rewrite', () => {
  it.each([
    ['a cover crop', 'w=256&h=256&fit=cover', undefined, renditionUri('w=256,h=256,fit=cover')],
    ['a resize and conversion', 'w=800&format=webp', undefined, renditionUri('w=800,format=webp')],
    ['format=auto for Chrome', 'format=auto', ACCEPT.chrome, renditionUri('format=avif')],
    ['format=auto for Safari 17', 'format=auto', ACCEPT.safari17, renditionUri('format=avif')],
    ['format=auto for Safari 15', 'format=auto', ACCEPT.safari15, renditionUri('format=webp')],
    ['format=auto for curl (*/*)', 'format=auto', ACCEPT.curl, `/${KEY}`],
    ['format=auto with no Accept', 'format=auto', undefined, `/${KEY}`],
    ['a model profile', 'fit=anthropic', undefined, renditionUri('fit=anthropic')],
    ['a profile in upper case', 'FIT=Anthropic-HiRes', undefined, renditionUri('fit=anthropic-hires')],
    ['a quality alone', 'q=60', undefined, renditionUri('q=60')],
    [
      'a letterbox with a format and quality',
      'h=512&w=512&fit=contain&format=avif&q=70',
      undefined,
      renditionUri('w=512,h=512,fit=contain,format=avif,q=70'),
    ],
    ['only defaults', 'fit=inside', undefined, `/${KEY}`],
  ])('rewrites %s', (_name, rawQuery, accept, expected) => {
    // Act
    const result = run(snappedEdge, rawQuery, { accept });

    // Assess
    expect(uriOf(result)).toBe(expected);
  });

  it.each([
    ['w=800&format=webp'],
    ['format=webp&w=800'],
    ['W=800&FORMAT=WEBP'],
    ['w=800&Format=WebP'],
    ['w=800&fit=inside&format=webp'],
    ['w=800&format=webp&q=80'],
    ['w=800&format=webp&q=78'],
    ['w=790&format=webp'],
    ['q=80&fit=INSIDE&format=webp&w=769'],
  ])('maps the spelling ?%s to the same URI', (rawQuery) => {
    // Act
    const result = run(snappedEdge, rawQuery);

    // Assess
    expect(uriOf(result)).toBe(renditionUri('w=800,format=webp'));
  });

  it('keeps the rest of the request as it came', () => {
    // Prepare
    const event = edgeEventOf({ method: 'HEAD', uri: `/${KEY}`, rawQuery: 'w=800', requestId: REQUEST_ID });
    const withCookies = { ...event, request: { ...event.request, cookies: { session: { value: 'x' } } } };

    // Act
    const result = forwarded(snappedEdge(withCookies));

    // Assess
    expect(result).toEqual({
      method: 'HEAD',
      uri: renditionUri('w=800'),
      querystring: {},
      headers: {},
      cookies: { session: { value: 'x' } },
    });
  });
});

describe('rendition edge function: format=auto and the Accept header', () => {
  it.each([
    ['AVIF refused with q=0', 'image/avif;q=0,image/webp', 'format=webp'],
    ['WebP refused with q=0', 'image/webp;q=0', undefined],
    ['both refused', 'image/avif;q=0, image/webp;q=0.0', undefined],
    ['upper case and spaces', ' IMAGE/AVIF ; Q=0.5 , image/webp', 'format=avif'],
    ['a low but positive q', 'image/avif;q=0.001', 'format=avif'],
    ['other parameters on the type', 'image/avif;level=1;q=0.9', 'format=avif'],
    ['a q that is not a number', 'image/avif;q=abc', undefined],
    ['a refusal after an acceptance', 'image/avif, image/avif;q=0', undefined],
    ['image/* alone', 'image/*', undefined],
    ['*/* with a q', '*/*;q=0.8', undefined],
    ['a look-alike type', 'image/avifx,image/webp2', undefined],
    ['an empty header', '', undefined],
    ['only WebP', 'image/webp', 'format=webp'],
  ])('resolves %s', (_name, accept, canonical) => {
    // Act
    const result = run(snappedEdge, 'format=auto', { accept });

    // Assess
    expect(uriOf(result)).toBe(canonical === undefined ? `/${KEY}` : renditionUri(canonical));
  });

  it('reads an Accept header sent twice as one list', () => {
    // Prepare
    const event = edgeEventOf({
      method: 'GET',
      uri: `/${KEY}`,
      rawQuery: 'format=auto',
      requestId: REQUEST_ID,
    });
    const accept = { value: 'image/png', multiValue: [{ value: 'image/png' }, { value: 'image/webp' }] };
    const twice = { ...event, request: { ...event.request, headers: { accept } } };

    // Act
    const result = snappedEdge(twice);

    // Assess
    expect(uriOf(result)).toBe(renditionUri('format=webp'));
  });

  it.each([
    ['AVIF drops its default quality', ACCEPT.chrome, 'w=800&format=auto&q=50', 'w=800,format=avif'],
    ['WebP keeps 50', ACCEPT.safari15, 'w=800&format=auto&q=50', 'w=800,format=webp,q=50'],
    ['no format keeps 50', ACCEPT.curl, 'w=800&format=auto&q=50', 'w=800,q=50'],
    ['WebP drops its default 80', ACCEPT.safari15, 'w=800&format=auto&q=80', 'w=800,format=webp'],
  ])('compares q with the default of the resolved format: %s', (_name, accept, rawQuery, canonical) => {
    // Act
    const result = run(snappedEdge, rawQuery, { accept });

    // Assess
    expect(uriOf(result)).toBe(renditionUri(canonical));
  });
});

describe('rendition edge function: refused parameters', () => {
  it.each([
    ['w=0', 'w'],
    ['w=99999', 'w'],
    ['w=4097', 'w'],
    ['w=-1', 'w'],
    ['w=+800', 'w'],
    ['w=1.5', 'w'],
    ['w=1e3', 'w'],
    ['w=08', 'w'],
    ['w=', 'w'],
    ['w', 'w'],
    ['w=%38%30%30', 'w'],
    ['w=800px', 'w'],
    ['h=0', 'h'],
    ['h=abc&w=800', 'h'],
    ['format=svg', 'format'],
    ['format=jpg', 'format'],
    ['format=', 'format'],
    ['fit=../../x', 'fit'],
    ['fit=', 'fit'],
    ['fit=fill&w=8&h=8', 'fit'],
    ['fit=cover&w=800', 'fit'],
    ['fit=contain&h=800', 'fit'],
    ['fit=cover', 'fit'],
    ['fit=anthropic&w=800', 'w'],
    ['fit=anthropic&format=webp', 'format'],
    ['fit=openai&format=auto', 'format'],
    ['fit=gemini&q=80', 'q'],
    ['q=0', 'q'],
    ['q=101', 'q'],
    ['q=high', 'q'],
    ['format=png&q=80', 'q'],
    ['w=800&w=900', 'w'],
    ['w=800&w=800', 'w'],
    ['W=800&w=800', 'w'],
    ['format=webp&FORMAT=avif', 'format'],
  ])('answers 400 INVALID_PARAMETER to ?%s, naming %s', (rawQuery, parameter) => {
    // Act
    const { status, body } = answerOf(run(snappedEdge, rawQuery));

    // Assess
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'INVALID_PARAMETER', parameter });
  });

  it.each([
    ['x=1', 'x'],
    ['width=800', 'width'],
    ['w=800&quality=80', 'quality'],
    ['__proto__=1', '__proto__'],
    ['constructor=1&w=800', 'constructor'],
    ['toString=1', 'tostring'],
    ['=800', ''],
    ['zz=1&aa=1&w=0', 'aa'],
  ])('answers 400 UNKNOWN_PARAMETER to ?%s, naming %j', (rawQuery, parameter) => {
    // Act
    const { status, body } = answerOf(run(snappedEdge, rawQuery));

    // Assess
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'UNKNOWN_PARAMETER', parameter });
  });

  it('answers UNKNOWN_PARAMETER to 50 generated parameter names, naming the first in sorted order', () => {
    // Prepare
    const random = randomFrom(50);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789_-.';
    const names = new Set<string>();
    while (names.size < 50) {
      const name = Array.from({ length: random.int(1, 12) }, () => random.pick([...alphabet])).join('');
      if (!['w', 'h', 'fit', 'format', 'q'].includes(name)) names.add(name);
    }
    const rawQuery = [...names].map((name) => `${name}=1`).join('&');

    // Act
    const { status, body } = answerOf(run(snappedEdge, `w=800&${rawQuery}`));

    // Assess
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'UNKNOWN_PARAMETER', parameter: [...names].sort()[0] });
  });

  it('answers UNKNOWN_PARAMETER to p0=1&…&p49=1', () => {
    // Prepare
    const rawQuery = Array.from({ length: 50 }, (_, i) => `p${i}=1`).join('&');

    // Act
    const { body } = answerOf(run(snappedEdge, rawQuery));

    // Assess
    expect(body).toMatchObject({ error: 'UNKNOWN_PARAMETER', parameter: 'p0' });
  });

  it.each([
    ['w=99999', 'w must be a whole number from 1 to 4096, got "99999"'],
    ['q=0', 'q must be a whole number from 1 to 100, got "0"'],
    ['format=SVG', 'format must be one of jpeg, png, webp, avif, auto, got "SVG"'],
    ['fit=cover&w=8', 'fit=cover needs both w and h'],
    ['format=png&q=80', 'q does not apply to format=png'],
    ['w=1&w=2', 'w must be given once, got 2'],
    [
      'fit=anthropic&w=800',
      'w cannot be combined with fit=anthropic, a model profile takes no other parameter',
    ],
    ['size=1', 'unknown parameter "size", allowed are w, h, fit, format, q'],
    [`w=${'9'.repeat(100)}`, `w must be a whole number from 1 to 4096, got "${'9'.repeat(40)}..."`],
  ])('says what is wrong with ?%s', (rawQuery, message) => {
    // Act
    const { body } = answerOf(run(snappedEdge, rawQuery));

    // Assess
    expect(body.message).toBe(message);
  });

  it('lists every fit and profile when the fit is unknown', () => {
    // Act
    const { body } = answerOf(run(snappedEdge, 'fit=../../x'));

    // Assess
    expect(body.message).toBe(
      `fit must be one of ${[...RESIZE_FITS, ...PROFILE_NAMES].join(', ')}, got "../../x"`,
    );
  });

  it('keeps the parameter it names short', () => {
    // Act
    const { body } = answerOf(run(snappedEdge, `${'x'.repeat(500)}=1`));

    // Assess
    expect(body.parameter).toBe('x'.repeat(40));
    expect(body.message.length).toBeLessThan(120);
  });
});

describe('rendition edge function: error answers', () => {
  it.each([
    ['a bad parameter', 'w=0', `/${KEY}`, 400, 'Bad Request'],
    ['a private path', 'w=800', '/_originals/alice/x.jpg', 404, 'Not Found'],
  ])(
    'answers %s with no-store, the security headers and a JSON body',
    (_name, rawQuery, uri, status, text) => {
      // Act
      const result = run(snappedEdge, rawQuery, { uri });

      // Assess
      if (!isCloudFrontFunctionResponse(result)) throw new Error('expected an answer');
      expect(result.statusCode).toBe(status);
      expect(result.statusDescription).toBe(text);
      expect(result.headers).toMatchObject({
        'content-type': { value: 'application/json; charset=utf-8' },
        'cache-control': { value: 'no-store' },
      });
      for (const [name, value] of Object.entries(CDN_SECURITY_HEADERS)) {
        expect(result.headers?.[name]).toEqual({ value });
      }
      expect(result.body?.encoding).toBe('text');
      expect(JSON.parse(result.body!.data)).toMatchObject({ requestId: REQUEST_ID });
    },
  );

  it('answers 404 with no parameter in the body', () => {
    // Act
    const { body } = answerOf(run(snappedEdge, 'w=800', { uri: '/_originals/alice/x.jpg' }));

    // Assess
    expect(body).toEqual({ error: 'NOT_FOUND', message: 'no such object', requestId: REQUEST_ID });
  });
});

describe('rendition edge function: paths', () => {
  it.each([
    [`/_originals/${KEY}`, ''],
    [`/_originals/${KEY}`, 'w=800'],
    [`/_renditions/${KEY}/w=800`, ''],
    [`/_renditions/${KEY}/w=800`, 'format=auto'],
    ['/_incoming/alice/0123456789abcdef0123456789abcdef.png', ''],
    ['/_uploads/alice/0123456789abcdef0123456789abcdef.json', 'x=1'],
    [`/%5Foriginals/${KEY}`, ''],
    [`/%5foriginals/${KEY}`, 'w=800'],
    ['/_', ''],
  ])('answers 404 to the private path %s?%s', (uri, rawQuery) => {
    // Act
    const { status, body } = answerOf(run(snappedEdge, rawQuery, { uri }));

    // Assess
    expect(status).toBe(404);
    expect(body.error).toBe('NOT_FOUND');
  });

  it.each([
    ['/'],
    ['/alice'],
    ['/alice/'],
    [`/alice/${SHA}`],
    [`/alice/x/${SHA}.jpg`],
    [`/ALICE/${SHA}.jpg`],
    [`/alice/${SHA}.JPG`],
    [`/alice/../bob/${SHA}.jpg`],
    [`/alice/%2e%2e/${SHA}.jpg`],
    [`//alice/${SHA}.jpg`],
    [`/alice/${SHA}.jpg/`],
    [`/alice/${SHA}.jpg/w=800`],
    ['/index.html'],
    [`/alice%2F${SHA}.jpg`],
    [`/-alice/${SHA}.jpg`],
  ])('answers 404 to the key shape %s with a query', (uri) => {
    // Act
    const { status } = answerOf(run(snappedEdge, 'w=800', { uri }));

    // Assess
    expect(status).toBe(404);
  });

  it.each([
    ['/'],
    [`/${KEY}`],
    ['/favicon.ico'],
    ['/ALICE/Photo.JPG'],
    ['/alice/../x'],
    [`/alice/x/${SHA}.jpg`],
  ])('passes %s with no query through unchanged', (uri) => {
    // Prepare
    const event = edgeEventOf({
      method: 'GET',
      uri,
      rawQuery: '',
      accept: ACCEPT.chrome,
      requestId: REQUEST_ID,
    });

    // Act
    const result = snappedEdge(event);

    // Assess
    expect(result).toEqual(event.request);
  });

  it('accepts the key shapes the service creates', () => {
    // Prepare
    const keys = [KEY, 'a/0123456789abcdef0123456789abcdef.webp', `client_2-x/${SHA}.heic`];

    // Act
    const uris = keys.map((key) => uriOf(run(snappedEdge, 'w=800', { uri: `/${key}` })));

    // Assess
    expect(uris).toEqual(keys.map((key) => renditionUri('w=800', key)));
  });
});

describe('rendition edge function: bounds', () => {
  it.each([
    ['w=790', 'w=800', 'w=790'],
    ['w=1', 'w=16', 'w=1'],
    ['w=4000&h=17', 'w=4096,h=32', 'w=4000,h=17'],
    ['w=4096', 'w=4096', 'w=4096'],
    ['q=71', 'q=75', 'q=71'],
    ['q=96&format=jpeg', 'format=jpeg,q=100', 'format=jpeg,q=96'],
    ['q=76&format=jpeg', 'format=jpeg', 'format=jpeg,q=76'],
    ['q=46&format=avif', 'format=avif', 'format=avif,q=46'],
  ])('?%s: %s with the size list, %s with any size', (rawQuery, snapped, anySize) => {
    // Act
    const results = [run(snappedEdge, rawQuery), run(anySizeEdge, rawQuery)];

    // Assess
    expect(results.map(uriOf)).toEqual([renditionUri(snapped), renditionUri(anySize)]);
  });

  it.each([
    ['a smaller edge with any size', { maxEdgePx: 1000 }, 'w=1000', 'w=1000'],
    [
      'a smaller edge with the default list',
      loadRenditionBounds({ RENDITION_MAX_EDGE_PX: '1000' }),
      'w=700',
      'w=768',
    ],
    [
      'a larger edge',
      loadRenditionBounds({ RENDITION_MAX_EDGE_PX: '8192', RENDITION_SIZES: 'any' }),
      'w=8192',
      'w=8192',
    ],
    ['a custom list', { maxEdgePx: 2048, sizes: [200, 100, 100] }, 'w=101', 'w=200'],
  ])('accepts sizes within %s', (_name, bounds, rawQuery, canonical) => {
    // Act
    const result = run(edgeFor(bounds), rawQuery);

    // Assess
    expect(uriOf(result)).toBe(renditionUri(canonical));
  });

  it.each([
    [
      'a smaller edge with any size',
      { maxEdgePx: 1000 },
      'w=1001',
      'w must be a whole number from 1 to 1000, got "1001"',
    ],
    // 1024 is the next listed size, over the edge: refused rather than snapped down to 800.
    [
      'a smaller edge with the default list',
      loadRenditionBounds({ RENDITION_MAX_EDGE_PX: '1000' }),
      'w=900',
      'w must be a whole number from 1 to 800, got "900"',
    ],
    [
      'a list with a size over the edge',
      { maxEdgePx: 2048, sizes: [100, 200, 5000] },
      'h=201',
      'h must be a whole number from 1 to 200, got "201"',
    ],
  ])('refuses sizes beyond %s', (_name, bounds, rawQuery, message) => {
    // Act
    const { status, body } = answerOf(run(edgeFor(bounds), rawQuery));

    // Assess
    expect(status).toBe(400);
    expect(body.message).toBe(message);
  });

  it('refuses to build for a size list with nothing within the edge', () => {
    // Act
    const act = () => renditionEdgeCode({ maxEdgePx: 50, sizes: [64, 128] });

    // Assess
    expect(act).toThrow('bounds.sizes must list a size from 1 to 50, got [64, 128]');
  });
});

describe('rendition edge function: edge and core agree', () => {
  /** A random valid query for `bounds`, in random order and case, with defaults sometimes spelled out. */
  function validQuery(random: ReturnType<typeof randomFrom>, bounds: CdnRenditionBounds) {
    const largest = bounds.sizes ? Math.max(...bounds.sizes) : bounds.maxEdgePx;
    const params: [string, string][] = [];
    let accept: string | undefined;
    if (random.next() < 0.1) {
      params.push(['fit', random.pick(PROFILE_NAMES)]);
    } else {
      const fit = random.pick([...RESIZE_FITS, 'inside', 'inside']);
      const both = fit !== 'inside' || random.next() < 0.4;
      if (both || random.next() < 0.5) params.push(['w', String(random.int(1, largest))]);
      if (both || params.length === 0 || random.next() < 0.3)
        params.push(['h', String(random.int(1, largest))]);
      if (fit !== 'inside' || random.next() < 0.2) params.push(['fit', fit]);
      const format = random.next() < 0.7 ? random.pick([...CDN_FORMATS, 'auto', 'auto']) : undefined;
      if (format !== undefined) params.push(['format', format]);
      if (format === 'auto')
        accept = random.pick([...Object.values(ACCEPT), undefined, 'image/avif;q=0,image/webp']);
      if (format !== 'png' && random.next() < 0.4) {
        const explicitDefault = format !== undefined && format !== 'auto' && random.next() < 0.3;
        params.push([
          'q',
          String(
            explicitDefault ? DEFAULT_QUALITY[format as keyof typeof DEFAULT_QUALITY] : random.int(1, 100),
          ),
        ]);
      }
    }
    const spelled = params.map(([name, value]) => {
      const upper = random.next() < 0.2;
      return `${upper ? name.toUpperCase() : name}=${upper ? value.toUpperCase() : value}`;
    });
    for (let i = spelled.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [spelled[i], spelled[j]] = [spelled[j]!, spelled[i]!];
    }
    return { rawQuery: spelled.join('&'), accept, requested: Object.fromEntries(params) };
  }

  it.each([
    ['the default size list', SNAPPED],
    ['any size', ANY_SIZE],
    ['a small edge', loadRenditionBounds({ RENDITION_MAX_EDGE_PX: '300' })],
    ['a custom list', { maxEdgePx: 2000, sizes: [10, 100, 1000, 1999] }],
  ])('writes only canonical text the core parses back to itself, with %s', (_name, bounds) => {
    // Prepare
    const edge = edgeFor(bounds);
    const random = randomFrom(7);
    const cases = Array.from({ length: 3000 }, () => validQuery(random, bounds));

    // Act
    const results = cases.map((c) => ({ ...c, result: run(edge, c.rawQuery, { accept: c.accept }) }));

    // Assess
    let rewritten = 0;
    for (const { rawQuery, requested, result } of results) {
      const uri = uriOf(result);
      if (uri === `/${KEY}`) continue;
      rewritten++;
      const parsed = parseCdnRenditionKey(uri.slice(1), bounds);
      expect(parsed, `?${rawQuery} → ${uri}`).toBeDefined();
      expect(parsed!.sourceKey).toBe(KEY);
      expect(`/_renditions/${KEY}/${canonicalSpec(parsed!.spec)}`).toBe(uri);
      const spec = parsed!.spec;
      if (spec.kind === 'resize') {
        // Snapped to the smallest allowed size at least as large as the one asked for.
        const snapped = (asked: string | undefined) =>
          asked === undefined
            ? undefined
            : Math.min(
                ...(bounds.sizes ?? [Number(asked)]).filter(
                  (n) => n >= Number(asked) && n <= bounds.maxEdgePx,
                ),
              );
        expect([spec.width, spec.height], `?${rawQuery}`).toEqual([
          snapped(requested.w),
          snapped(requested.h),
        ]);
      }
    }
    expect(rewritten).toBeGreaterThan(2000);
  });
});

describe('rendition edge function: the code CloudFront runs', () => {
  it.each([
    ['the default bounds', SNAPPED],
    ['any size up to 8192', loadRenditionBounds({ RENDITION_MAX_EDGE_PX: '8192', RENDITION_SIZES: 'any' })],
  ])('fits in CloudFront Functions’ 10 KB with %s', (_name, bounds) => {
    // Act
    const bytes = Buffer.byteLength(renditionEdgeCode(bounds), 'utf8');

    // Assess
    expect(bytes).toBeLessThanOrEqual(CLOUDFRONT_FUNCTION_MAX_BYTES);
  });

  it('refuses to build code over the limit', () => {
    // Prepare
    const sizes = Array.from({ length: 4096 }, (_, i) => i + 1);

    // Act
    const act = () => renditionEdgeCode({ maxEdgePx: 4096, sizes });

    // Assess
    expect(act).toThrow(/over CloudFront's 10240/);
  });

  it('is plain ES5 that cloudfront-js-2.0 runs', () => {
    // Prepare
    const source = readFileSync(new URL('../../infra/edge/rendition-request.js', import.meta.url), 'utf8');
    const code = source.replace(/\/\/.*$/gm, '').replace(/'(?:[^'\\\n]|\\.)*'/g, "''");

    // Assess
    expect(source).toMatch(/^function handler\(event\) \{$/m);
    expect(source).toMatch(/^[\x20-\x7e\n]*$/);
    for (const banned of [
      /=>/,
      /\b(const|let|class|import|export|require|async|await|of)\b/,
      /`/,
      /\.\.\./,
      /\?\./,
      /\?\?/,
      /\.includes\(/,
      /,\s*\)/,
      /\(\?<[=!a-z]/i,
      /\/[gimsuyd]*[suyd][gimsuyd]*[,;)]/,
      /\b(process|Buffer|setTimeout|globalThis|module)\b/,
    ]) {
      expect(code, String(banned)).not.toMatch(banned);
    }
  });

  it('parses as ECMAScript 5.1, a subset of what cloudfront-js-2.0 runs, with its CONFIG', () => {
    // Prepare
    const built = renditionEdgeCode({ maxEdgePx: 4096, sizes: DEFAULT_RENDITION_SIZES });

    // Act: acorn refuses any later syntax (arrows, let/const, templates, spread, classes…).
    const act = () => parse(built, { ecmaVersion: 5, sourceType: 'script' });

    // Assess
    expect(act).not.toThrow();
  });

  it('runs with no Node globals, no eval and in strict mode', () => {
    // Prepare
    const probe = `
      function handler(event) {
        var names = ['require', 'process', 'Buffer', 'module', 'exports', 'setTimeout', 'fetch',
          'Intl', 'Proxy', 'WebAssembly', 'SharedArrayBuffer'];
        var seen = [];
        for (var i = 0; i < names.length; i++) seen.push(names[i] + ':' + typeof globalThis[names[i]]);
        var evalError = 'none';
        try { new Function('return 1'); } catch (e) { evalError = e.name; }
        var strict = (function () { return this === undefined; })();
        return { statusCode: 200, body: { encoding: 'text', data: seen.join(',') + ';' + evalError + ';' + strict } };
      }`;

    // Act
    const result = loadEdgeHandler(`'use strict';\n${probe}`)(
      edgeEventOf({ method: 'GET', uri: '/', rawQuery: '', requestId: REQUEST_ID }),
    );

    // Assess
    if (!isCloudFrontFunctionResponse(result)) throw new Error('expected the probe to answer');
    const [globals, evalError, strict] = result.body!.data.split(';');
    expect(globals!.split(',').every((entry) => entry.endsWith(':undefined'))).toBe(true);
    expect(evalError).toBe('EvalError');
    expect(strict).toBe('true');
  });

  it('starts with CONFIG in strict mode', () => {
    // Act
    const code = renditionEdgeCode(SNAPPED);

    // Assess
    expect(code.split('\n').slice(0, 2)).toEqual([
      "'use strict';",
      expect.stringMatching(/^var CONFIG = \{.*\};$/),
    ]);
  });

  it('refuses code with no handler', () => {
    // Act
    const act = () => loadEdgeHandler('var handle = 1;');

    // Assess
    expect(act).toThrow('the edge code defines no top-level function handler(event)');
  });
});

describe('edgeEventOf', () => {
  it.each([
    ['w=800&format=webp', { w: { value: '800' }, format: { value: 'webp' } }],
    ['?w=800', { w: { value: '800' } }],
    ['w', { w: { value: '' } }],
    ['w=', { w: { value: '' } }],
    ['&&w=1&', { w: { value: '1' } }],
    ['w=1&W=2', { w: { value: '1' }, W: { value: '2' } }],
    ['w=1&w=2', { w: { value: '1', multiValue: [{ value: '1' }, { value: '2' }] } }],
    ['w=%38%30%30&a+b=c%20d', { w: { value: '%38%30%30' }, 'a+b': { value: 'c%20d' } }],
    ['x=a=b', { x: { value: 'a=b' } }],
    ['', {}],
  ])('splits ?%s the way CloudFront does', (rawQuery, querystring) => {
    // Act
    const event = edgeEventOf({ method: 'GET', uri: '/', rawQuery, requestId: REQUEST_ID });

    // Assess
    expect(event.request.querystring).toEqual(querystring);
  });

  it('keeps a parameter named __proto__ as a parameter', () => {
    // Act
    const event = edgeEventOf({ method: 'GET', uri: '/', rawQuery: '__proto__=1', requestId: REQUEST_ID });

    // Assess
    expect(Object.keys(event.request.querystring)).toEqual(['__proto__']);
  });

  it('builds a viewer-request event with the Accept header and request id', () => {
    // Act
    const event = edgeEventOf({
      method: 'GET',
      uri: `/${KEY}`,
      rawQuery: '',
      accept: 'image/webp',
      requestId: 'r-9',
    });

    // Assess
    expect(event).toEqual({
      version: '1.0',
      context: { eventType: 'viewer-request', requestId: 'r-9' },
      request: {
        method: 'GET',
        uri: `/${KEY}`,
        querystring: {},
        headers: { accept: { value: 'image/webp' } },
        cookies: {},
      },
    });
  });
});
