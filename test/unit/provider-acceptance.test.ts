import { describe, expect, it } from 'vitest';
import {
  GEMINI3_SOURCES,
  MODEL_PROFILES,
  OPENAI_PATCH_MODEL_SOURCES,
  PROVIDER_LIMITS,
  PROVIDER_NAMES,
} from '../../lambdas/core/model-profiles';
import { judgeProviders, type ServedFile } from '../../lambdas/core/provider-acceptance';

const MiB = 1024 * 1024;
const ALL = { anthropic: true, openai: true, gemini: true };
const NONE = { anthropic: false, openai: false, gemini: false };
const still = (contentType: string, width = 40, height = 30, size = 2_000): ServedFile => ({
  contentType,
  size,
  width,
  height,
});

describe('judgeProviders', () => {
  it.each([
    ['image/jpeg', ALL],
    ['image/png', ALL],
    ['image/webp', ALL],
    ['image/jpg', ALL], // the common misspelling of image/jpeg
    [' IMAGE/PNG; charset=binary', ALL],
    ['image/gif', { anthropic: true, openai: true, gemini: false }], // Gemini does not fetch GIF
    ['video/mp4', NONE],
    ['image/avif', NONE],
    ['image/heic', NONE], // Gemini takes HEIC inline only, not by URL
    ['image/bmp', NONE], // never served: not on the allow-list
    ['application/octet-stream', NONE],
    ['', NONE],
  ])('judges a small still %j by its format: %j', (contentType, expected) => {
    // Act
    const { providers, providerNotes } = judgeProviders(still(contentType));

    // Assess
    expect(providers).toEqual(expected);
    const refused = PROVIDER_NAMES.filter((p) => !expected[p]);
    expect(Object.keys(providerNotes).sort()).toEqual([...refused].sort());
    for (const p of refused) expect(providerNotes[p]).toMatch(/takes only .* by URL; this is /);
  });

  // The hostile sizes, as the `original` profile serves them, and the edges of each limit.
  it.each([
    [
      'a 20 MB PNG',
      still('image/png', 2600, 2600, 20_280_000),
      { anthropic: /over 10,485,760 bytes; this one is 20,280,000/ },
    ],
    [
      'a 10000×100 strip',
      still('image/png', 10_000, 100, 90_000),
      { anthropic: /over 8000 px on a side; this one is 10000×100/ },
    ],
    [
      'a 100×10000 strip',
      still('image/jpeg', 100, 10_000, 90_000),
      { anthropic: /over 8000 px on a side; this one is 100×10000/ },
    ],
    ['8000×8000, Anthropic’s largest', still('image/jpeg', 8000, 8000, 3_000_000), {}],
    ['8001×8000', still('image/jpeg', 8001, 8000, 3_000_000), { anthropic: /over 8000 px/ }],
    ['exactly 10 MiB', still('image/png', 3000, 2000, 10 * MiB), {}],
    [
      '10 MiB and a byte',
      still('image/png', 3000, 2000, 10 * MiB + 1),
      { anthropic: /over 10,485,760 bytes/ },
    ],
    ['exactly 50 MB', still('image/png', 5000, 5000, 50_000_000), { anthropic: /bytes/ }],
    [
      '50 MB and a byte',
      still('image/png', 5000, 5000, 50_000_001),
      { anthropic: /bytes/, openai: /over 50,000,000 bytes/ },
    ],
    [
      '100 MB and a byte',
      still('image/png', 7000, 7000, 100_000_001),
      { anthropic: /bytes/, openai: /bytes/, gemini: /over 100,000,000 bytes/ },
    ],
    [
      'a 3-frame GIF',
      { ...still('image/gif'), frames: 3 },
      {
        openai: /no animated image; this one has 3 frames/,
        gemini: /takes only jpeg, png, webp by URL; this is image\/gif/,
      },
    ],
    [
      'a 3-frame WebP',
      { ...still('image/webp'), frames: 3 },
      { openai: /no animated/, gemini: /no animated/ },
    ],
    ['a 1-frame GIF', { ...still('image/gif'), frames: 1 }, { gemini: /this is image\/gif/ }],
    [
      'a 12000×12000 60 MB PNG',
      still('image/png', 12_000, 12_000, 60_000_000),
      { anthropic: /8000 px.*; .*bytes/, openai: /over 50,000,000 bytes/ },
    ],
  ] as const)('judges %s against each published limit', (_name, file, refused) => {
    // Act
    const { providers, providerNotes } = judgeProviders(file);

    // Assess
    for (const p of PROVIDER_NAMES) {
      const note = (refused as Partial<Record<string, RegExp>>)[p];
      expect(providers[p], p).toBe(note === undefined);
      if (note === undefined) expect(providerNotes, p).not.toHaveProperty(p);
      else expect(providerNotes[p], p).toMatch(note);
    }
  });

  it('judges an MP4 clip, which has no pixel size, by its type alone', () => {
    // Act
    const verdicts = judgeProviders({ contentType: 'video/mp4', size: 800_000_000 });

    // Assess
    expect(verdicts.providers).toEqual(NONE);
    expect(verdicts.providerNotes.anthropic).toBe(
      'Anthropic takes only jpeg, png, gif, webp by URL; this is video/mp4',
    );
  });

  it.each([
    ...PROVIDER_NAMES.map((name) => [`the ${name} limits`, PROVIDER_LIMITS[name].sources] as const),
    ['the OpenAI patch models', OPENAI_PATCH_MODEL_SOURCES] as const,
    ['the Gemini 3 token counts', GEMINI3_SOURCES] as const,
  ])('keeps %s with https sources checked 2026-12-07', (_name, sources) => {
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(s.url).toMatch(/^https:\/\//);
      expect(s.checked).toBe('2026-12-07');
      expect(s.note?.length).toBeGreaterThan(20);
    }
  });

  it.each([
    ['anthropic', 'anthropic'],
    ['anthropic-hires', 'anthropic'],
    ['openai', 'openai'],
    ['gemini', 'gemini'],
  ] as const)(
    'serves profile %s only within the limits of %s, so its renditions are taken',
    (name, provider) => {
      // Prepare
      const profile = MODEL_PROFILES[name];
      const limits = PROVIDER_LIMITS[provider];

      // Assess
      for (const f of profile.formats) expect(limits.formats).toContain(f);
      expect(profile.maxBytes).toBeLessThanOrEqual(limits.maxBytes);
      expect(profile.maxEdgePx).toBeLessThanOrEqual(limits.maxSidePx ?? Number.POSITIVE_INFINITY);
    },
  );
});
