import { fitDimensions, MODEL_PROFILES, tokensBy } from './model-profiles';

/**
 * Estimated input tokens per provider for an image of width×height as served, from each
 * provider's published formula (what the model sees after the provider's own downscaling, if any).
 */
export interface TokenEstimates {
  /** Claude before Opus 4.7 (1568 px, 1568 tokens). */
  readonly anthropic: number;
  /** Claude Opus 4.7 and later (2576 px, 4784 tokens). */
  readonly anthropicHires: number;
  /** OpenAI patch models at detail high, multiplier 1 (2048 px, 2500 patches). */
  readonly openai: number;
  /** OpenAI tile models (gpt-4o) at detail high. */
  readonly openaiTiles: number;
  /** Gemini 2.x (258 per 768 px tile). */
  readonly gemini: number;
}

/** Claude's visual tokens for an image already within its limits: ⌈w/28⌉·⌈h/28⌉. */
export function anthropicTokens(width: number, height: number): number {
  // Source: platform.claude.com/docs/en/build-with-claude/vision
  return tokensBy('anthropic', width, height);
}

/** OpenAI patch models' patches for an image already within their limits: ⌈w/32⌉·⌈h/32⌉. */
export function openaiPatches(width: number, height: number): number {
  // Source: developers.openai.com/api/docs/guides/images-vision (patch models)
  return tokensBy('openaiPatches', width, height);
}

/** gpt-4o-style tiles at detail high: fit 2048×2048, short side to 768, 85 + 170 per 512 px tile. */
function openaiTileTokens(width: number, height: number): number {
  // Source: developers.openai.com/api/docs/guides/images-vision (tile models, gpt-4o)
  const fit = Math.min(1, 2048 / Math.max(width, height));
  let [w, h] = [Math.max(1, Math.round(width * fit)), Math.max(1, Math.round(height * fit))];
  const short = Math.min(w, h);
  if (short > 768) [w, h] = [Math.round((w * 768) / short), Math.round((h * 768) / short)];
  return 85 + 170 * Math.ceil(w / 512) * Math.ceil(h / 512);
}

/** Gemini 2.x: 258 when both sides ≤ 384 px, else 258 per 768×768 tile. */
function geminiTokens(width: number, height: number): number {
  // Source: ai.google.dev/gemini-api/docs/image-understanding (Gemini 2.x)
  return width <= 384 && height <= 384 ? 258 : 258 * Math.ceil(width / 768) * Math.ceil(height / 768);
}

/**
 * Tokens each provider charges for an image of width×height pixels as served. Where a provider
 * downscales first, the image is fit with {@link fitDimensions} against the matching profile,
 * whose limits are the provider's own.
 */
export function estimateTokens(width: number, height: number): TokenEstimates {
  const seen = (name: 'anthropic' | 'anthropic-hires' | 'openai' | 'gemini') =>
    fitDimensions(width, height, MODEL_PROFILES[name]);
  const a = seen('anthropic');
  const ah = seen('anthropic-hires');
  const o = seen('openai');
  const g = seen('gemini'); // Gemini scales images larger than 3072×3072 down first
  return {
    anthropic: anthropicTokens(a.width, a.height),
    anthropicHires: anthropicTokens(ah.width, ah.height),
    openai: openaiPatches(o.width, o.height),
    openaiTiles: openaiTileTokens(width, height),
    gemini: geminiTokens(g.width, g.height),
  };
}
