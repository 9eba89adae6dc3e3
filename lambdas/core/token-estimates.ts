import {
  fitDimensions,
  GEMINI3_IMAGE_TOKENS,
  MODEL_PROFILES,
  OPENAI_PATCH_MODELS,
  type PatchBudget,
  tokensBy,
} from './model-profiles';

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
  /** OpenAI patch models at detail original, multiplier 1 (6000 px, 10,000 patches). */
  readonly openaiOriginal: number;
  /** Billed tokens per OpenAI patch-model family: patches within its budget × its factor. */
  readonly openaiModels: OpenAiModelTokens;
  /** Gemini 3 per media_resolution: the same for every image (high is the default). */
  readonly gemini3: typeof GEMINI3_IMAGE_TOKENS;
}

/** Billed tokens per OpenAI patch-model family (see `OPENAI_PATCH_MODELS`). */
export interface OpenAiModelTokens {
  /** gpt-5.x flagships, ×1.2: detail high (2048 px, 2500 patches) and original (6000 px, 10,000). */
  readonly gpt5: { readonly high: number; readonly original: number };
  /** gpt-4.1-mini, ×1.62, 1536 patches. */
  readonly gpt41Mini: { readonly high: number };
  /** o4-mini, ×1.72, 1536 patches. */
  readonly o4Mini: { readonly high: number };
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

/** Patches an OpenAI patch model counts once it has scaled width×height into `budget`. */
export function openaiPatchesWithin(width: number, height: number, budget: PatchBudget): number {
  const fit = fitDimensions(width, height, {
    ...(budget.maxEdgePx !== undefined && { maxEdgePx: budget.maxEdgePx }),
    tokenBudgets: [{ formula: 'openaiPatches', max: budget.patches }],
  });
  return openaiPatches(fit.width, fit.height);
}

/** Billed tokens for `patches` at a model's factor (OpenAI bills 1536 × 1.2 = 1843.2 as 1843). */
const billed = (patches: number, factor: number) => Math.round(patches * factor);

function openaiModelTokens(width: number, height: number): OpenAiModelTokens {
  const { gpt5, gpt41Mini, o4Mini } = OPENAI_PATCH_MODELS;
  const high = (m: { factor: number; high: PatchBudget }) =>
    billed(openaiPatchesWithin(width, height, m.high), m.factor);
  return {
    gpt5: {
      high: high(gpt5),
      original: billed(openaiPatchesWithin(width, height, gpt5.original), gpt5.factor),
    },
    gpt41Mini: { high: high(gpt41Mini) },
    o4Mini: { high: high(o4Mini) },
  };
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
    openaiOriginal: openaiPatchesWithin(width, height, OPENAI_PATCH_MODELS.gpt5.original),
    openaiModels: openaiModelTokens(width, height),
    gemini3: GEMINI3_IMAGE_TOKENS,
  };
}
