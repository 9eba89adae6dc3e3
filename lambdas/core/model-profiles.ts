import { BadRequestError } from './errors';

/**
 * Provider profiles as data: what a rendition served for a model may look like. Update this file
 * when a provider changes its rules, with the page and the day you checked it.
 */
export const PROFILE_NAMES = [
  'universal',
  'anthropic',
  'anthropic-hires',
  'openai',
  'gemini',
  'original',
] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'gif';
/** Formulas a token budget can be stated in. */
export type TokenFormulaName = 'anthropic' | 'openaiPatches';
/** At most `max` tokens (or patches) by `formula`. */
export interface TokenBudget {
  readonly formula: TokenFormulaName;
  readonly max: number;
}
/** Where a number comes from; `checked` is the day it was read, `YYYY-MM-DD`. */
export interface SourceNote {
  readonly url: string;
  readonly checked: string;
  readonly note?: string;
}
/** What a rendition served for one profile may be. */
export interface ModelProfile {
  readonly name: ProfileName;
  readonly summary: string; // one sentence for docs and error messages
  readonly formats: readonly OutputFormat[]; // what a rendition may be served as
  readonly maxEdgePx?: number; // longest edge in pixels; undefined = no limit
  readonly maxBytes: number; // byte cap of the served file
  readonly tokenBudgets: readonly TokenBudget[]; // every one must hold
  readonly sources: readonly SourceNote[];
}

const MiB = 1024 * 1024;
const CHECKED = '2026-11-21';

/** Side of the square patch each formula counts, in pixels. */
const PATCH_PX: Readonly<Record<TokenFormulaName, number>> = {
  anthropic: 28, // platform.claude.com/docs/en/build-with-claude/vision: one visual token per 28×28 px
  openaiPatches: 32, // developers.openai.com/api/docs/guides/images-vision: patch models, 32×32 px
};

/** Tokens (patches) that `formula` counts for width×height: ⌈w/p⌉·⌈h/p⌉. */
export function tokensBy(formula: TokenFormulaName, width: number, height: number): number {
  const p = PATCH_PX[formula];
  return Math.ceil(width / p) * Math.ceil(height / p);
}

const ANTHROPIC: SourceNote = Object.freeze({
  url: 'https://platform.claude.com/docs/en/build-with-claude/vision',
  checked: CHECKED,
  note: 'jpeg, png, gif (first frame), webp; ⌈w/28⌉·⌈h/28⌉ visual tokens; resized to fit 1568 px and 1568 tokens (Opus 4.7+: 2576 px, 4784 tokens); 8000×8000 px max (2000×2000 when > 20 images); 5 MB per image ("image exceeds 5 MB maximum: … > 5242880 bytes"); 32 MB per request; base64 only on Bedrock/Vertex',
});
const OPENAI: SourceNote = Object.freeze({
  url: 'https://developers.openai.com/api/docs/guides/images-vision',
  checked: CHECKED,
  note: 'png, jpeg, webp, non-animated gif; detail high on patch models: 2048 px and 2500 patches of 32 px (older pages: 1536 patches); no per-image byte cap documented now, errors and older pages cite 20 MB per image, 50 MB per request',
});
const GEMINI_IMAGES: SourceNote = Object.freeze({
  url: 'https://ai.google.dev/gemini-api/docs/image-understanding',
  checked: CHECKED,
  note: 'larger images are scaled down (and padded) by Gemini to fit 3072×3072; before Gemini 3: 258 tokens per 768×768 tile, 258 when both sides ≤ 384; Gemini 3 caps tokens per image by media_resolution',
});
const GEMINI_FILES: SourceNote = Object.freeze({
  url: 'https://ai.google.dev/gemini-api/docs/file-input-methods',
  checked: CHECKED,
  note: 'fetched by URL: bmp, jpeg, png, webp only, 100 MB per file; some models refuse external URLs; the inline limit rose from 20 MB to 100 MB in January 2026 (blog.google), 20 MiB kept here',
});

function profile(p: ModelProfile): ModelProfile {
  for (const list of [p.formats, p.tokenBudgets, p.sources]) Object.freeze(list);
  return Object.freeze(p);
}

/** Every profile by name. */
export const MODEL_PROFILES: Readonly<Record<ProfileName, ModelProfile>> = Object.freeze({
  universal: profile({
    name: 'universal',
    summary:
      'Accepted unchanged, without re-scaling, by every provider: JPEG, PNG or WebP, long edge ≤ 1568 px, ≤ 1568 Anthropic tokens and ≤ 2500 OpenAI patches, ≤ 5 MiB.',
    formats: ['jpeg', 'png', 'webp'],
    maxEdgePx: 1568,
    maxBytes: 5 * MiB, // Anthropic's per-image cap on its API, the smallest of the three
    tokenBudgets: [
      { formula: 'anthropic', max: 1568 },
      { formula: 'openaiPatches', max: 2500 },
    ],
    sources: [ANTHROPIC, OPENAI, GEMINI_IMAGES, GEMINI_FILES],
  }),
  anthropic: profile({
    name: 'anthropic',
    summary:
      'Claude at its native resolution: JPEG, PNG, GIF or WebP, long edge ≤ 1568 px, ≤ 1568 tokens, ≤ 5 MiB.',
    formats: ['jpeg', 'png', 'gif', 'webp'],
    maxEdgePx: 1568,
    maxBytes: 5 * MiB,
    tokenBudgets: [{ formula: 'anthropic', max: 1568 }],
    sources: [ANTHROPIC],
  }),
  'anthropic-hires': profile({
    name: 'anthropic-hires',
    summary:
      'Claude Opus 4.7 and later at their native resolution: JPEG, PNG, GIF or WebP, long edge ≤ 2576 px, ≤ 4784 tokens, ≤ 5 MiB.',
    formats: ['jpeg', 'png', 'gif', 'webp'],
    maxEdgePx: 2576,
    maxBytes: 5 * MiB,
    tokenBudgets: [{ formula: 'anthropic', max: 4784 }],
    sources: [ANTHROPIC],
  }),
  openai: profile({
    name: 'openai',
    summary:
      'OpenAI patch models at detail high: PNG, JPEG, WebP or still GIF, long edge ≤ 2048 px, ≤ 2500 patches, ≤ 20 MiB.',
    formats: ['png', 'jpeg', 'webp', 'gif'],
    maxEdgePx: 2048,
    maxBytes: 20 * MiB, // errors still cite 20 MB
    tokenBudgets: [{ formula: 'openaiPatches', max: 2500 }],
    sources: [OPENAI],
  }),
  gemini: profile({
    name: 'gemini',
    summary:
      'Gemini by URL: JPEG, PNG or WebP, long edge ≤ 3072 px (Gemini scales larger images down itself), ≤ 20 MiB.',
    formats: ['jpeg', 'png', 'webp'],
    maxEdgePx: 3072,
    maxBytes: 20 * MiB,
    tokenBudgets: [],
    sources: [GEMINI_IMAGES, GEMINI_FILES],
  }),
  original: profile({
    name: 'original',
    summary: 'Full size, sanitized: JPEG, PNG, WebP or GIF, no edge or token limit, ≤ 100 MiB.',
    formats: ['jpeg', 'png', 'webp', 'gif'],
    maxBytes: 100 * MiB,
    tokenBudgets: [],
    sources: [ANTHROPIC, OPENAI, GEMINI_FILES],
  }),
});

/** The profile used when a request names none. */
export const DEFAULT_PROFILE: ProfileName = 'universal';

/**
 * The profile a request's `fit` names (trimmed, case-insensitive).
 * @throws BadRequestError `UNKNOWN_PROFILE` for anything else, listing the profiles.
 */
export function profileNamed(name: unknown): ModelProfile {
  const key = typeof name === 'string' ? name.trim().toLowerCase() : undefined;
  const found = PROFILE_NAMES.find((p) => p === key);
  if (found) return MODEL_PROFILES[found];
  const shown =
    typeof name === 'string'
      ? JSON.stringify(name.slice(0, 64)) // the message reaches the client: keep it short
      : name === null || ['number', 'boolean', 'undefined'].includes(typeof name)
        ? String(name)
        : `(${typeof name})`;
  throw new BadRequestError(
    'UNKNOWN_PROFILE',
    `fit ${shown} is not a profile; profiles: ${PROFILE_NAMES.join(', ')}`,
  );
}

/**
 * Largest width×height no larger than the input (never upscales), with the aspect ratio kept as
 * closely as whole pixels allow (each side ≥ 1), that meets the profile's edge and every budget.
 * @throws RangeError when a side is not a positive whole number of pixels.
 */
export function fitDimensions(
  width: number,
  height: number,
  profile: ModelProfile,
): { width: number; height: number } {
  for (const side of [width, height]) {
    if (!Number.isSafeInteger(side) || side < 1)
      throw new RangeError(`image sides must be whole pixels ≥ 1, got ${width}×${height}`);
  }
  const long = Math.max(width, height);
  const ratio = Math.min(width, height) / long;
  const sized = (l: number) => {
    const s = Math.max(1, Math.round(l * ratio));
    return width >= height ? { width: l, height: s } : { width: s, height: l };
  };
  const fits = ({ width: w, height: h }: { width: number; height: number }) =>
    profile.tokenBudgets.every((b) => tokensBy(b.formula, w, h) <= b.max);
  // Start from an upper bound and step down one pixel: tokens only grow with the long side.
  let l = Math.min(long, profile.maxEdgePx ?? long);
  for (const { formula, max } of profile.tokenBudgets) {
    // ⌈w/p⌉·⌈h/p⌉ ≤ max implies w·h ≤ max·p², and the short side is ≥ l·ratio − ½: solve for l.
    // Each side also needs ⌈side/p⌉ ≤ max. (+1 absorbs float error; the loop steps it back.)
    const area = max * PATCH_PX[formula] ** 2;
    const byArea = Math.floor((0.5 + Math.sqrt(0.25 + 4 * ratio * area)) / (2 * ratio)) + 1;
    l = Math.min(l, byArea, max * PATCH_PX[formula]);
  }
  while (l > 1 && !fits(sized(l))) l -= 1;
  return sized(l);
}
