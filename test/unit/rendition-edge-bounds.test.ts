import { describe, expect, it } from 'vitest';
import { renditionEdgeCode } from '../../infra/edge/rendition-edge';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';
import {
  CDN_FORMATS,
  type CdnRenditionBounds,
  canonicalSpec,
  DEFAULT_QUALITY,
  parseCdnRenditionKey,
  RESIZE_FITS,
} from '../../lambdas/core/cdn-rendition';
import { PROFILE_NAMES } from '../../lambdas/core/model-profiles';
import {
  ACCEPT,
  ANY_SIZE,
  answerOf,
  anySizeEdge,
  edgeFor,
  KEY,
  renditionUri,
  run,
  SNAPPED,
  snappedEdge,
  uriOf,
} from '../support/rendition-edge-harness';
import { randomFrom, type SeededRandom } from '../support/seeded-random';

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
  function validQuery(random: SeededRandom, bounds: CdnRenditionBounds) {
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
