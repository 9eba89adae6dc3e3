import { describe, expect, it } from 'vitest';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';
import {
  type CdnRenditionBounds,
  canonicalSpec,
  cdnRenditionKey,
  DEFAULT_RENDITION_SIZES,
  parseCanonicalSpec,
  parseCdnRenditionKey,
} from '../../lambdas/core/cdn-rendition';

const SNAP: CdnRenditionBounds = { maxEdgePx: 4096, sizes: DEFAULT_RENDITION_SIZES };
const ANY: CdnRenditionBounds = { maxEdgePx: 2000 };
const SOURCE = `alice/${'a'.repeat(64)}.jpg`;

describe('parseCanonicalSpec', () => {
  it.each([
    ['w=800', { kind: 'resize', width: 800, fit: 'inside' }],
    ['w=256,h=256,fit=cover', { kind: 'resize', width: 256, height: 256, fit: 'cover' }],
    ['w=800,format=webp', { kind: 'resize', width: 800, fit: 'inside', format: 'webp' }],
    ['format=avif,q=70', { kind: 'resize', fit: 'inside', format: 'avif', quality: 70 }],
    ['q=60', { kind: 'resize', fit: 'inside', quality: 60 }],
    ['fit=anthropic', { kind: 'profile', profile: 'anthropic' }],
  ])('reads %s, and writes it back the same', (text, spec) => {
    // Act
    const parsed = parseCanonicalSpec(text, SNAP);

    // Assess
    expect(parsed).toEqual(spec);
    expect(canonicalSpec(parsed!)).toBe(text);
  });

  it.each([
    ['an empty spec', ''],
    ['a size off the snap list', 'w=801'],
    ['a size over the edge', 'w=8192'],
    ['zero', 'w=0'],
    ['a leading zero', 'w=0800'],
    ['another order', 'format=webp,w=800'],
    ['a default written out', 'w=800,fit=inside'],
    ['the default quality written out', 'format=webp,q=80'],
    ['a quality off the step', 'format=webp,q=71'],
    ['a quality over 100', 'q=105'],
    ['a quality with PNG', 'format=png,q=90'],
    ['cover without a height', 'w=800,fit=cover'],
    ['a profile with a size', 'w=800,fit=anthropic'],
    ['an unknown fit', 'w=800,fit=fill'],
    ['an unknown format', 'format=svg'],
    ['a parameter twice', 'w=800,w=800'],
    ['an unknown parameter', 'w=800,x=1'],
    ['a path', 'fit=../../x'],
  ])('refuses %s (%s)', (_name, text) => {
    // Act
    const parsed = parseCanonicalSpec(text, SNAP);

    // Assess
    expect(parsed).toBeUndefined();
  });

  it('takes any size up to the edge when the deployment snaps none', () => {
    // Act / Assess
    expect(parseCanonicalSpec('w=801,q=71', ANY)).toEqual({
      kind: 'resize',
      width: 801,
      fit: 'inside',
      quality: 71,
    });
    expect(parseCanonicalSpec('w=2001', ANY)).toBeUndefined();
  });
});

describe('rendition keys', () => {
  it('stores a rendition under its source key and canonical spec, and reads it back', () => {
    // Prepare
    const spec = { kind: 'resize', width: 256, height: 256, fit: 'cover' } as const;

    // Act
    const key = cdnRenditionKey(SOURCE, spec);

    // Assess
    expect(key).toBe(`_renditions/${SOURCE}/w=256,h=256,fit=cover`);
    expect(parseCdnRenditionKey(key, SNAP)).toEqual({ sourceKey: SOURCE, spec });
  });

  it.each([
    ['a public key', SOURCE],
    ['a private original', `_originals/${SOURCE}`],
    ['a client name that is not one', `_renditions/Alice/${'a'.repeat(64)}.jpg/w=800`],
    ['a traversal', `_renditions/alice/../x.jpg/w=800`],
    ['an extra segment', `_renditions/${SOURCE}/w=800/x`],
    ['no spec', `_renditions/${SOURCE}/`],
  ])('is not fooled by %s', (_name, key) => {
    // Act / Assess
    expect(parseCdnRenditionKey(key, SNAP)).toBeUndefined();
  });
});

describe('loadRenditionBounds', () => {
  it.each([
    [{}, { maxEdgePx: 4096, sizes: DEFAULT_RENDITION_SIZES }],
    [
      { RENDITION_MAX_EDGE_PX: '1024' },
      { maxEdgePx: 1024, sizes: DEFAULT_RENDITION_SIZES.filter((s) => s <= 1024) },
    ],
    [{ RENDITION_SIZES: 'any' }, { maxEdgePx: 4096 }],
    [{ RENDITION_SIZES: '512, 128,512' }, { maxEdgePx: 4096, sizes: [128, 512] }],
  ])('reads %j', (env, bounds) => {
    // Act / Assess
    expect(loadRenditionBounds(env)).toEqual(bounds);
  });

  it.each([
    [{ RENDITION_MAX_EDGE_PX: '9000' }, 'RENDITION_MAX_EDGE_PX'],
    [{ RENDITION_SIZES: '128,abc' }, 'RENDITION_SIZES'],
    [{ RENDITION_MAX_EDGE_PX: '512', RENDITION_SIZES: '1024' }, 'RENDITION_SIZES'],
  ])('fails on %j, naming %s', (env, name) => {
    // Act
    const act = () => loadRenditionBounds(env);

    // Assess
    expect(act).toThrow(name);
  });
});
