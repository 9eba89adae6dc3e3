import { describe, expect, it } from 'vitest';
import { anthropicTokens, estimateTokens, openaiPatches } from '../../lambdas/core/token-estimates';

describe('anthropicTokens', () => {
  it.each([
    [1000, 1000, 1296], // Anthropic's vision page: ⌈1000/28⌉² = 36² (the older w·h/750 table said ~1334)
    [1092, 1092, 1521], // 39² (the older table said ~1590)
    [200, 200, 64], // ⌈7.14⌉² = 8² (the older table said ~54)
    [28, 28, 1],
    [29, 28, 2], // a partial patch counts whole
    [1568, 1176, 2352], // 56·42: the raw count, before any resize
  ])('counts %i×%i as %i patches of 28 px', (w, h, tokens) => {
    expect(anthropicTokens(w, h)).toBe(tokens);
  });
});

describe('openaiPatches', () => {
  it.each([
    [1024, 1024, 1024], // OpenAI's example: 32·32 patches
    [1800, 2400, 4275], // OpenAI's example before its downscale: 57·75
    [32, 32, 1],
    [33, 1, 2],
  ])('counts %i×%i as %i patches of 32 px', (w, h, patches) => {
    expect(openaiPatches(w, h)).toBe(patches);
  });
});

describe('estimateTokens', () => {
  it.each([
    // 1024×1024: Claude ⌈36.57⌉² = 37² = 1369 (within 1568, no resize); OpenAI 32² = 1024 patches;
    // tiles: OpenAI's own example, 768×768 → 4 tiles → 85 + 4·170 = 765; Gemini ⌈1024/768⌉² = 4 → 1032.
    [1024, 1024, { anthropic: 1369, anthropicHires: 1369, openai: 1024, openaiTiles: 765, gemini: 1032 }],
    // 2048×4096: Claude fits 784×1568 = 28·56 = 1568; Opus 4.7 fits 1288×2576 = 46·92 = 4232;
    // OpenAI fits 1024×2048 = 32·64 = 2048; tiles: OpenAI's example, 768×1536 → 6 → 1105;
    // Gemini scales to 1536×3072 → 2·4 tiles → 2064.
    [2048, 4096, { anthropic: 1568, anthropicHires: 4232, openai: 2048, openaiTiles: 1105, gemini: 2064 }],
    // 1568×1176: 56·42 = 2352 > 1568, so Claude resizes to 1269×952 = 46·34 = 1564; Opus 4.7 keeps
    // it: 2352; OpenAI ⌈49⌉·⌈36.75⌉ = 49·37 = 1813; tiles: short side 1176 → 768, 1024×768 → 4 →
    // 765; Gemini ⌈2.04⌉·⌈1.53⌉ = 3·2 tiles → 1548.
    [1568, 1176, { anthropic: 1564, anthropicHires: 2352, openai: 1813, openaiTiles: 765, gemini: 1548 }],
    // 8000×8000: Claude 1092² = 39² = 1521; Opus 4.7 1932² = 69² = 4761 (1933 → 70² = 4900);
    // OpenAI 1600² = 50² = 2500; tiles 2048 → 768² → 4 → 765; Gemini 3072² → 4·4 → 4128.
    [8000, 8000, { anthropic: 1521, anthropicHires: 4761, openai: 2500, openaiTiles: 765, gemini: 4128 }],
    // 200×200: 8² = 64; ⌈6.25⌉² = 49; one tile → 85 + 170 = 255; Gemini: both sides ≤ 384 → 258.
    [200, 200, { anthropic: 64, anthropicHires: 64, openai: 49, openaiTiles: 255, gemini: 258 }],
    // 12000×300: Claude 1568×39 = 56·2 = 112; Opus 4.7 2576×64 = 92·3 = 276; OpenAI 2048×51 =
    // 64·2 = 128; tiles 2048×51 → 4·1 → 765; Gemini 3072×77 → 4·1 → 1032.
    [12000, 300, { anthropic: 112, anthropicHires: 276, openai: 128, openaiTiles: 765, gemini: 1032 }],
  ])('estimates %i×%i (worked by hand)', (w, h, expected) => {
    expect(estimateTokens(w, h)).toMatchObject(expected);
  });

  it.each([
    // [w, h, openaiOriginal, gpt-5.x high, gpt-5.x original, gpt-4.1-mini, o4-mini]
    // 1024×1024: 32² = 1024 patches everywhere; ×1.2 = 1228.8, ×1.62 = 1658.88, ×1.72 = 1761.28.
    [1024, 1024, 1024, 1229, 1229, 1659, 1761],
    // 8000×8000: original fits 3200² = 100² = 10,000; high 1600² = 2500 (×1.2 = 3000); the
    // 1536-patch models fit 1248² = 39² = 1521 (×1.62 = 2464.02, ×1.72 = 2616.12).
    [8000, 8000, 10_000, 3000, 12_000, 2464, 2616],
    // 12000×300: original 6000×150 = 188·5 = 940 (×1.2 = 1128); high 2048×51 = 64·2 = 128
    // (153.6); 1536 patches: 7699×192 = 241·6 = 1446 (7700×193 = 241·7 = 1687 is over), ×1.62 =
    // 2342.52, ×1.72 = 2487.12.
    [12_000, 300, 940, 154, 1128, 2343, 2487],
    // 200×200: ⌈6.25⌉² = 49: 58.8, 79.38, 84.28.
    [200, 200, 49, 59, 59, 79, 84],
    // 1568×1176: 49·37 = 1813 (×1.2 = 2175.6); 1536 patches: 1440×1080 = 45·34 = 1530 (1441 →
    // 46·34 = 1564 is over): 2478.6, 2631.6.
    [1568, 1176, 1813, 2176, 2176, 2479, 2632],
    // 2048×4096: original 64·128 = 8192 (9830.4); high 1024×2048 = 2048 (2457.6); 1536 patches:
    // 864×1728 = 27·54 = 1458 (1729 → 28·55 = 1540 is over): 2361.96, 2507.76.
    [2048, 4096, 8192, 2458, 9830, 2362, 2508],
  ])(
    'estimates OpenAI patch models for %i×%i (worked by hand)',
    (w, h, original, gpt5High, gpt5Original, mini, o4) => {
      // Act
      const t = estimateTokens(w, h);

      // Assess
      expect(t.openaiOriginal).toBe(original);
      expect(t.openaiModels).toEqual({
        gpt5: { high: gpt5High, original: gpt5Original },
        gpt41Mini: { high: mini },
        o4Mini: { high: o4 },
      });
    },
  );

  it.each([
    [1, 1],
    [4032, 3024],
    [12_000, 300],
  ])('gives Gemini 3 its published tokens per media_resolution for %i×%i', (w, h) => {
    expect(estimateTokens(w, h).gemini3).toEqual({ low: 280, medium: 560, high: 1120, ultraHigh: 2240 });
  });

  it.each([
    [384, 384, 258], // both sides ≤ 384: one flat charge
    [385, 384, 258], // one 768 tile
    [768, 768, 258],
    [769, 1, 516], // two tiles across
    [1536, 1537, 1548], // 2·3 tiles
  ])('charges Gemini for %i×%i: %i', (w, h, tokens) => {
    expect(estimateTokens(w, h).gemini).toBe(tokens);
  });

  it.each([
    [512, 512, 255], // one tile, no resize
    [513, 512, 425], // two tiles
    [4096, 8192, 1105], // 2048 fit → 1024×2048 → short side 768 → 768×1536 → 6 tiles
    [769, 1, 425], // short side under 768: left alone, 2 tiles
  ])('charges OpenAI tile models for %i×%i: %i', (w, h, tokens) => {
    expect(estimateTokens(w, h).openaiTiles).toBe(tokens);
  });

  it('never charges more than a provider’s own cap', () => {
    for (const [w, h] of [
      [12000, 300],
      [8000, 8000],
      [4032, 3024],
      [1, 10000],
      [5000, 1],
    ]) {
      const t = estimateTokens(w!, h!);
      expect(t.anthropic).toBeLessThanOrEqual(1568);
      expect(t.anthropicHires).toBeLessThanOrEqual(4784);
      expect(t.openai).toBeLessThanOrEqual(2500);
      expect(t.openaiOriginal).toBeLessThanOrEqual(10_000);
      expect(t.openaiModels.gpt5.high).toBeLessThanOrEqual(Math.round(2500 * 1.2));
      expect(t.openaiModels.gpt41Mini.high).toBeLessThanOrEqual(Math.round(1536 * 1.62));
      expect(t.openaiModels.o4Mini.high).toBeLessThanOrEqual(Math.round(1536 * 1.72));
    }
  });
});
