import { BadRequestError } from './errors';

/**
 * Providers' rules as data: what a rendition served for a model may look like (the profiles),
 * what each provider refuses by URL (`PROVIDER_LIMITS`) and how it counts tokens. Update this
 * file when a provider changes its rules, with the page and the day you checked it.
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
const CHECKED = '2026-12-07';

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

// Re-checked on CHECKED through the stored copies of these pages the search tool reaches; where a
// number was not on the stored copy, the note says where it comes from.
const ANTHROPIC: SourceNote = Object.freeze({
  url: 'https://platform.claude.com/docs/en/build-with-claude/vision',
  checked: CHECKED,
  note: 'jpeg, png, gif (first frame), webp; source types base64, url, file (Bedrock and Google Cloud: base64 only); ⌈w/28⌉·⌈h/28⌉ visual tokens; resized to fit 1568 px and 1568 tokens (Opus 4.7+: 2576 px, 4784 tokens); images over 8000×8000 px are rejected (2000×2000 when > 20 images); 32 MB per request. Per image: 10 MB on the API, 5 MB on Bedrock/Vertex (issue 20 and the design notes, 2026-12; the stored page copy states no byte cap, and Anthropic\'s own error for the older cap read "image exceeds 5 MB maximum: … > 5242880 bytes", so its MB are MiB)',
});
const OPENAI: SourceNote = Object.freeze({
  url: 'https://developers.openai.com/api/docs/guides/images-vision',
  checked: CHECKED,
  note: 'png, jpeg, webp, non-animated gif; patch models count ⌈w/32⌉·⌈h/32⌉ patches times a per-model factor (gpt-5.x 1.2, gpt-4.1-mini 1.62, o4-mini 1.72, gpt-5-nano 1.5, gpt-4.1-nano 2.46); detail high: 2048 px and 2500 patches (gpt-4.1-mini, o4-mini and the small gpt-5 models: 1536 patches); detail original: 6000 px and 10,000 patches; ~50 MB of image bytes per request enforced (older pages: 20 MB per image)',
});
const OPENAI_MEASURED: SourceNote = Object.freeze({
  url: 'https://community.openai.com/t/introducing-gpt-5-4-mini-and-nano-our-most-capable-small-models-yet/1377015',
  checked: CHECKED,
  note: 'billed factors measured against the API: gpt-5.x 1.2 (1536 patches billed as 1843), gpt-4.1-mini 1.62, o4-mini 1.72; openai/codex#19865 caps detail original at 10,000 patches',
});
const GEMINI_IMAGES: SourceNote = Object.freeze({
  url: 'https://ai.google.dev/gemini-api/docs/image-understanding',
  checked: CHECKED,
  note: 'larger images are scaled down (and padded) by Gemini to fit 3072×3072; before Gemini 3: 258 tokens per 768×768 tile, 258 when both sides ≤ 384',
});
const GEMINI_RESOLUTION: SourceNote = Object.freeze({
  url: 'https://ai.google.dev/gemini-api/docs/media-resolution',
  checked: CHECKED,
  note: 'Gemini 3 sets the tokens of an image by media_resolution: low 280, medium 560, high 1120 (the default for images), ultra high 2240 (per part only)',
});
const GEMINI_FILES: SourceNote = Object.freeze({
  url: 'https://ai.google.dev/gemini-api/docs/file-input-methods',
  checked: CHECKED,
  note: 'fetched by URL (since 2026-01-12): bmp, jpeg, png, webp only, 100 MB per file; Gemini 2.0 takes no URLs; inline also heic/heif',
});

/** The providers whose fetch of a served URL the upload answer judges. */
export const PROVIDER_NAMES = ['anthropic', 'openai', 'gemini'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * What a provider refuses outright when handed an image by URL (what it merely scales down is
 * not here). Where a page writes "MB" without saying which, the smaller reading is kept, so
 * that `true` in an answer is never a guess.
 */
export interface ProviderLimits {
  readonly label: string;
  /** Served formats it fetches by URL. */
  readonly formats: readonly OutputFormat[];
  /** Longest side it takes, in pixels; undefined = it scales any size down itself. */
  readonly maxSidePx?: number;
  /** Largest image it takes, in bytes. */
  readonly maxBytes: number;
  /** Whether it takes an animated file (Anthropic reads a GIF's first frame). */
  readonly takesAnimated: boolean;
  readonly sources: readonly SourceNote[];
}

export const PROVIDER_LIMITS: Readonly<Record<ProviderName, ProviderLimits>> = Object.freeze({
  anthropic: Object.freeze({
    label: 'Anthropic',
    formats: Object.freeze(['jpeg', 'png', 'gif', 'webp'] as const),
    maxSidePx: 8000, // "larger than 8000x8000 px … rejected" (2000 px when > 20 images in a request)
    maxBytes: 10 * MiB, // per image on the API, URL or base64
    takesAnimated: true,
    sources: Object.freeze([ANTHROPIC]),
  }),
  openai: Object.freeze({
    label: 'OpenAI',
    formats: Object.freeze(['png', 'jpeg', 'webp', 'gif'] as const),
    maxBytes: 50_000_000, // image bytes per request: a one-image request's ceiling
    takesAnimated: false, // "non-animated GIF"
    sources: Object.freeze([OPENAI]),
  }),
  gemini: Object.freeze({
    label: 'Gemini',
    formats: Object.freeze(['jpeg', 'png', 'webp'] as const), // by URL; bmp too, never served here
    maxBytes: 100_000_000, // per fetched file
    takesAnimated: false, // no animated format on its URL list
    sources: Object.freeze([GEMINI_FILES, GEMINI_IMAGES]),
  }),
});

/** Claude's per-image byte cap on base64 sources where URLs are not taken (Bedrock, Vertex). */
export const ANTHROPIC_BASE64_CLOUD_MAX_BYTES = 5 * MiB;

/** One OpenAI patch-model family: its billing factor and patch budget per `detail` level. */
export interface OpenAiPatchModel {
  readonly models: string;
  /** Billed tokens = patches × factor. */
  readonly factor: number;
  readonly high: PatchBudget;
  /** `detail: "original"`, where the family has it. */
  readonly original?: PatchBudget;
}
/** At most `patches` patches of 32 px, long edge at most `maxEdgePx` (undefined: patches only). */
export interface PatchBudget {
  readonly maxEdgePx?: number;
  readonly patches: number;
}

export const OPENAI_PATCH_MODELS = Object.freeze({
  gpt5: Object.freeze({
    models: 'gpt-5.x flagships (gpt-5.2 and later)',
    factor: 1.2,
    high: Object.freeze({ maxEdgePx: 2048, patches: 2500 }),
    original: Object.freeze({ maxEdgePx: 6000, patches: 10_000 }),
  }),
  gpt41Mini: Object.freeze({ models: 'gpt-4.1-mini', factor: 1.62, high: Object.freeze({ patches: 1536 }) }),
  o4Mini: Object.freeze({ models: 'o4-mini', factor: 1.72, high: Object.freeze({ patches: 1536 }) }),
} satisfies Record<string, OpenAiPatchModel>);
export const OPENAI_PATCH_MODEL_SOURCES: readonly SourceNote[] = Object.freeze([OPENAI, OPENAI_MEASURED]);

/** Gemini 3's tokens per image for each `media_resolution` (high is the default for images). */
export const GEMINI3_IMAGE_TOKENS = Object.freeze({ low: 280, medium: 560, high: 1120, ultraHigh: 2240 });
export const GEMINI3_SOURCES: readonly SourceNote[] = Object.freeze([GEMINI_RESOLUTION]);

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
    maxBytes: ANTHROPIC_BASE64_CLOUD_MAX_BYTES, // Claude on Bedrock/Vertex, the smallest cap anywhere
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
    maxBytes: ANTHROPIC_BASE64_CLOUD_MAX_BYTES, // so the same bytes also go inline to Bedrock/Vertex
    tokenBudgets: [{ formula: 'anthropic', max: 1568 }],
    sources: [ANTHROPIC],
  }),
  'anthropic-hires': profile({
    name: 'anthropic-hires',
    summary:
      'Claude Opus 4.7 and later at their native resolution: JPEG, PNG, GIF or WebP, long edge ≤ 2576 px, ≤ 4784 tokens, ≤ 5 MiB.',
    formats: ['jpeg', 'png', 'gif', 'webp'],
    maxEdgePx: 2576,
    maxBytes: ANTHROPIC_BASE64_CLOUD_MAX_BYTES, // so the same bytes also go inline to Bedrock/Vertex
    tokenBudgets: [{ formula: 'anthropic', max: 4784 }],
    sources: [ANTHROPIC],
  }),
  openai: profile({
    name: 'openai',
    summary:
      'OpenAI patch models at detail high: PNG, JPEG, WebP or still GIF, long edge ≤ 2048 px, ≤ 2500 patches, ≤ 20 MiB.',
    formats: ['png', 'jpeg', 'webp', 'gif'],
    maxEdgePx: 2048,
    maxBytes: 20 * MiB, // older pages' per-image cap: kept, well inside the 50 MB OpenAI takes
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
    sources: [GEMINI_IMAGES, GEMINI_RESOLUTION, GEMINI_FILES],
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
  profile: Pick<ModelProfile, 'maxEdgePx' | 'tokenBudgets'>,
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
