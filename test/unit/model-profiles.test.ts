import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../lambdas/core/errors';
import {
  DEFAULT_PROFILE,
  fitDimensions,
  MODEL_PROFILES,
  PROFILE_NAMES,
  profileNamed,
  tokensBy,
  type ModelProfile,
} from '../../lambdas/core/model-profiles';

const MiB = 1024 * 1024;
const profiles = PROFILE_NAMES.map((name) => MODEL_PROFILES[name]);

/** Every limit of the profile that width×height breaks (edge, each budget). */
function broken(w: number, h: number, p: ModelProfile): string[] {
  const edge = p.maxEdgePx !== undefined && Math.max(w, h) > p.maxEdgePx ? ['edge'] : [];
  return [...edge, ...p.tokenBudgets.filter((b) => tokensBy(b.formula, w, h) > b.max).map((b) => b.formula)];
}

/** The same shape one pixel longer on the long side, short side rounded to the ratio. */
function onePixelLonger(inW: number, inH: number, w: number, h: number) {
  return inW >= inH
    ? { width: w + 1, height: Math.max(1, Math.round(((w + 1) * inH) / inW)) }
    : { width: Math.max(1, Math.round(((h + 1) * inW) / inH)), height: h + 1 };
}

describe('MODEL_PROFILES', () => {
  it.each([
    // name, formats, maxEdgePx, maxBytes, budgets
    [
      'universal',
      ['jpeg', 'png', 'webp'],
      1568,
      5 * MiB,
      [
        ['anthropic', 1568],
        ['openaiPatches', 2500],
      ],
    ],
    ['anthropic', ['jpeg', 'png', 'gif', 'webp'], 1568, 5 * MiB, [['anthropic', 1568]]],
    ['anthropic-hires', ['jpeg', 'png', 'gif', 'webp'], 2576, 5 * MiB, [['anthropic', 4784]]],
    ['openai', ['png', 'jpeg', 'webp', 'gif'], 2048, 20 * MiB, [['openaiPatches', 2500]]],
    ['gemini', ['jpeg', 'png', 'webp'], 3072, 20 * MiB, []],
    ['original', ['jpeg', 'png', 'webp', 'gif'], undefined, 100 * MiB, []],
  ] as const)('states the limits of %s', (name, formats, maxEdgePx, maxBytes, budgets) => {
    const p = MODEL_PROFILES[name];
    expect(p).toMatchObject({ name, formats, maxBytes });
    expect(p.maxEdgePx).toBe(maxEdgePx);
    expect(p.tokenBudgets.map((b) => [b.formula, b.max])).toEqual(budgets);
  });

  it.each(profiles)('gives $name a summary and dated https sources', (p) => {
    expect(p.summary.length).toBeGreaterThan(20);
    expect(p.sources.length).toBeGreaterThan(0);
    for (const s of p.sources) {
      expect(s.url).toMatch(/^https:\/\//);
      expect(s.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('serves universal only in the formats every provider fetches by URL', () => {
    const { anthropic, openai, gemini } = MODEL_PROFILES;
    const everywhere = anthropic.formats.filter(
      (f) => openai.formats.includes(f) && gemini.formats.includes(f),
    );
    expect([...MODEL_PROFILES.universal.formats].sort()).toEqual([...everywhere].sort());
  });

  it('caps universal bytes at the smallest provider cap', () => {
    const caps = (['anthropic', 'openai', 'gemini'] as const).map((n) => MODEL_PROFILES[n].maxBytes);
    expect(MODEL_PROFILES.universal.maxBytes).toBe(Math.min(...caps));
  });

  it('is frozen, so no caller can change a profile for the others', () => {
    expect(Object.isFrozen(MODEL_PROFILES.universal)).toBe(true);
    expect(Object.isFrozen(MODEL_PROFILES.universal.formats)).toBe(true);
  });

  it('defaults to universal', () => {
    expect(DEFAULT_PROFILE).toBe('universal');
  });
});

describe('profileNamed', () => {
  it.each([
    ['universal', 'universal'],
    [' Anthropic-HiRes ', 'anthropic-hires'],
    ['OPENAI', 'openai'],
    ['gemini\n', 'gemini'],
    ['original', 'original'],
  ])('finds %j as %s', (input, name) => {
    expect(profileNamed(input).name).toBe(name);
  });

  it.each([
    ['claude'],
    [''],
    ['anthropic hires'],
    ['constructor'],
    ['__proto__'],
    [undefined],
    [null],
    [42],
    [['openai']],
    [Object.create(null)],
  ])('refuses %j with 400 UNKNOWN_PROFILE', (input) => {
    expect(() => profileNamed(input)).toThrow(BadRequestError);
    expect(() => profileNamed(input)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_PROFILE', statusCode: 400 }),
    );
  });

  it('names the value received and lists every profile', () => {
    expect(() => profileNamed('claude')).toThrow(
      'fit "claude" is not a profile; profiles: universal, anthropic, anthropic-hires, openai, gemini, original',
    );
  });

  it.each([
    [undefined, 'fit undefined is not a profile'],
    [42, 'fit 42 is not a profile'],
    [{ toString: () => 'openai' }, 'fit (object) is not a profile'],
  ])('names a %j that is not a string by its kind', (input, message) => {
    expect(() => profileNamed(input)).toThrow(message);
  });

  it('keeps a hostile value short in the message', () => {
    expect(() => profileNamed('x'.repeat(10_000))).toThrow(/^fit "x{64}" is not a profile/);
  });
});

describe('fitDimensions', () => {
  const inputs = [
    [12000, 300], // panorama
    [8000, 8000],
    [4032, 3024], // 12 MP phone photo
    [1000, 1000], // small enough for every profile
    [1, 10000],
    [5000, 1],
  ] as const;
  const cases = profiles.flatMap((p) => inputs.map(([w, h]) => [p.name, w, h, p] as const));

  it.each(cases)('fits %s: %i×%i within every limit, no larger than the input', (_, w, h, p) => {
    const out = fitDimensions(w, h, p);
    expect(Number.isInteger(out.width) && Number.isInteger(out.height)).toBe(true);
    expect(out.width).toBeGreaterThanOrEqual(1);
    expect(out.height).toBeGreaterThanOrEqual(1);
    expect(out.width).toBeLessThanOrEqual(w);
    expect(out.height).toBeLessThanOrEqual(h);
    expect(broken(out.width, out.height, p)).toEqual([]);
  });

  it.each(cases)('fits %s: %i×%i keeping the aspect ratio within one pixel', (_, w, h, p) => {
    const out = fitDimensions(w, h, p);
    if (w >= h) expect(Math.abs(out.height - (out.width * h) / w)).toBeLessThanOrEqual(1);
    else expect(Math.abs(out.width - (out.height * w) / h)).toBeLessThanOrEqual(1);
  });

  it.each(cases)('fits %s: %i×%i as large as it may be (one pixel longer breaks a limit)', (_, w, h, p) => {
    const out = fitDimensions(w, h, p);
    if (out.width === w && out.height === h) return;
    const bigger = onePixelLonger(w, h, out.width, out.height);
    expect(broken(bigger.width, bigger.height, p)).not.toEqual([]);
  });

  it.each(profiles)('leaves a 1000×1000 image unchanged for $name', (p) => {
    expect(fitDimensions(1000, 1000, p)).toEqual({ width: 1000, height: 1000 });
  });

  it.each([
    // 4032×3024 for Claude: the edge gives 1568×1176 = 56·42 = 2352 tokens > 1568. Width 1269 →
    // height round(951.75) = 952 → ⌈1269/28⌉·⌈952/28⌉ = 46·34 = 1564; 1270 → 953 → 46·35 = 1610.
    ['anthropic', 4032, 3024, 1269, 952],
    ['universal', 4032, 3024, 1269, 952],
    // Opus 4.7: 2212 → 1659 → 79·60 = 4740 ≤ 4784; 2213 → 1660 → 80·60 = 4800.
    ['anthropic-hires', 4032, 3024, 2212, 1659],
    // OpenAI: edge gives 2048×1536 = 64·48 = 3072 patches > 2500. 1835 → round(1376.25) = 1376 →
    // ⌈1835/32⌉·⌈1376/32⌉ = 58·43 = 2494; 1836 → 1377 → 58·44 = 2552.
    ['openai', 4032, 3024, 1835, 1376],
    ['gemini', 4032, 3024, 3072, 2304], // edge only: 3072·0.75
    ['original', 4032, 3024, 4032, 3024],
    ['anthropic', 12000, 300, 1568, 39], // edge: 1568·300/12000 = 39.2; 56·2 = 112 tokens
    ['openai', 8000, 8000, 1600, 1600], // 50·50 = 2500 patches exactly
    ['anthropic', 1, 10000, 1, 1568], // the short side never drops below one pixel
  ] as const)('fits %s %i×%i to %i×%i (worked by hand)', (name, w, h, ow, oh) => {
    expect(fitDimensions(w, h, MODEL_PROFILES[name])).toEqual({ width: ow, height: oh });
  });

  // Anthropic's table of the largest sizes it does not resize, per aspect ratio (vision page).
  it.each([
    ['1:1', 8000, 8000, 1092, 1092],
    ['2:3', 2000, 3000, 896, 1344],
    ['9:16', 1800, 3200, 819, 1456],
    ['1:2', 2000, 4000, 784, 1568],
    // The table says 951×1268 (exactly 3:4, from the older w·h/750 rule); 952×1269 is 46·34 = 1564 tokens.
    ['3:4', 3000, 4000, 952, 1269],
  ] as const)('matches Anthropic’s table for %s', (_, w, h, ow, oh) => {
    expect(fitDimensions(w, h, MODEL_PROFILES.anthropic)).toEqual({ width: ow, height: oh });
  });

  it.each([
    [1568, 1176],
    [4032, 3024],
    [12000, 300],
    [8000, 8000],
    [1, 10000],
  ])('serves a universal rendition of %i×%i that no provider profile would resize', (w, h) => {
    const out = fitDimensions(w, h, MODEL_PROFILES.universal);
    for (const name of ['anthropic', 'anthropic-hires', 'openai', 'gemini'] as const) {
      expect(fitDimensions(out.width, out.height, MODEL_PROFILES[name])).toEqual(out);
    }
  });

  it.each([
    [0, 10],
    [10, -1],
    [1.5, 10],
    [Number.NaN, 10],
    [Number.POSITIVE_INFINITY, 10],
  ])('refuses %s×%s: sides are whole pixels', (w, h) => {
    expect(() => fitDimensions(w, h, MODEL_PROFILES.universal)).toThrow(RangeError);
  });
});
