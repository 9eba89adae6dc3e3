/**
 * The MCP tools' input and output schemas (zod, turned into JSON Schema by the SDK). Outputs are
 * loose objects: they name what an agent reads and let the service add fields without breaking
 * a client that validates `structuredContent`.
 */
import { z } from 'zod';
import type { Profile } from '../api-types.ts';
import type { RenditionFormat } from '../rendition-url.ts';
import { PROFILES_BY_NAME } from '../rendition-url.ts';

const PROFILES = Object.keys(PROFILES_BY_NAME) as [Profile, ...Profile[]];
const FORMATS: [RenditionFormat, ...RenditionFormat[]] = ['jpeg', 'png', 'webp', 'avif', 'auto'];

const imageRef = z
  .string()
  .min(1)
  .describe('The image: its key (`<client>/<name>`) or its public URL, as upload_image answered it.');

export const uploadInput = {
  path: z
    .string()
    .min(1)
    .optional()
    .describe('A local image file, inside the directories this server was allowed to read (--allow-dir).'),
  url: z
    .string()
    .regex(/^https?:\/\//i, 'an http(s) URL')
    .optional()
    .describe('An http(s) URL the service fetches itself, through its guard (chat media, a signed link…).'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('With `url`: headers for the source only, such as Authorization (never stored or logged).'),
  base64: z.string().min(1).optional().describe('The image bytes as base64 (no data: prefix needed).'),
  fit: z
    .enum(PROFILES)
    .optional()
    .describe('Rendition profile: universal (default, every provider), anthropic, openai, gemini, original…'),
  folder: z
    .string()
    .optional()
    .describe('Catalogue folder, e.g. `users/42` (where the service supports it).'),
  tags: z.array(z.string()).max(20).optional().describe('Catalogue tags (where the service supports them).'),
  filename: z.string().optional().describe('The name kept with the image (default: the file’s name).'),
};

const tokens = z.looseObject({
  anthropic: z.number(),
  anthropicHires: z.number(),
  openai: z.number(),
  openaiTiles: z.number(),
  gemini: z.number(),
});

export const uploadOutput = z.looseObject({
  url: z.string().describe('The public, stable URL of the model-ready rendition.'),
  key: z.string(),
  contentType: z.string(),
  size: z.number().describe('Bytes served.'),
  sha256: z.string(),
  width: z.number().optional(),
  height: z.number().optional(),
  profile: z.string().optional(),
  tokens: tokens.optional().describe('Estimated input tokens per provider.'),
  prompt: z
    .looseObject({})
    .describe('Ready-to-paste image blocks: openaiChat, openaiResponses, anthropic, gemini.'),
});

export const listInput = {
  prefix: z.string().optional().describe('Only keys that start with this (`<client>/…`).'),
  limit: z.number().int().min(1).max(1000).optional().describe('At most this many images (default 50).'),
};

const listItem = z.looseObject({
  key: z.string(),
  url: z.string(),
  size: z.number(),
  contentType: z.string().optional(),
  lastModified: z.string().optional(),
});

export const listOutput = z.looseObject({
  items: z.array(listItem),
  more: z.boolean().describe('True when there are more images than `limit`.'),
});

export const imageInput = { image: imageRef };

export const infoOutput = z.looseObject({
  key: z.string(),
  url: z.string(),
  size: z.number(),
  contentType: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
});

export const deleteOutput = z.looseObject({ deleted: z.string().describe('The image deleted (as given).') });

export const renditionInput = {
  url: z.string().min(1).describe('The public URL upload_image answered (no query string).'),
  w: z.number().int().min(1).optional().describe('Width in pixels.'),
  h: z.number().int().min(1).optional().describe('Height in pixels.'),
  fit: z
    .enum(['inside', 'cover', 'contain', ...PROFILES])
    .optional()
    .describe('inside (default), cover or contain (need w and h), or a model profile alone.'),
  format: z.enum(FORMATS).optional(),
  q: z.number().int().min(1).max(100).optional().describe('Quality, 1–100 (not with png).'),
};

export const renditionOutput = z.looseObject({ url: z.string().describe('The rendition’s URL at the CDN.') });

export const presignGetInput = {
  image: imageRef,
  expiresIn: z.number().int().min(1).optional().describe('Seconds the URL lives (default 3600).'),
};

export const presignGetOutput = z.looseObject({
  url: z.string().describe('A short-lived URL that reads the private object.'),
  expiresAt: z.string(),
  key: z.string(),
  publicUrl: z.string(),
});
