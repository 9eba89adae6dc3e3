import { describe, expect, it } from 'vitest';
import { edgeEventOf } from '../../infra/edge/rendition-edge';
import {
  ACCEPT,
  forwarded,
  KEY,
  REQUEST_ID,
  renditionUri,
  run,
  snappedEdge,
  uriOf,
} from '../support/rendition-edge-harness';

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
