import type { ProfileName } from './model-profiles';
import { publicUrlOf } from './object-keys';
import { inlinePromptBlocks, urlPromptBlocks, type PromptBlocks } from './prompt-blocks';
import { judgeProviders } from './provider-acceptance';
import { estimateTokens } from './token-estimates';

/** What was uploaded, as reported back: type, size and (for images) upright pixel size. */
export interface OriginalSummary {
  readonly contentType: string;
  readonly size: number;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly frames?: number | undefined;
}

/** A stored rendition (or MP4 clip), as the publishing step made it. */
export interface PublishedImage {
  readonly key: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly profile?: ProfileName | undefined;
  /** `as-uploaded`, `metadata-stripped` (lossless) or `rendered`. */
  readonly method: string;
  readonly bytes: Buffer;
  readonly original: OriginalSummary;
}

// Lambda answers at most 6 MB; base64 grows bytes by 4/3 and the JSON around it needs room.
export const MAX_INLINE_BYTES = 4_000_000;

/**
 * The JSON answer of an upload: `url` (what older clients read) serves the rendition; its
 * size, tokens per provider and ready-to-paste prompt blocks describe exactly those bytes.
 * `providers` says which providers take the URL as it is (format, size, bytes), and
 * `providerNotes` why each other one does not; prompt blocks go only to the first.
 * With `inline`, the bytes come back as base64 with prompt blocks that carry them (for
 * providers that take no URLs, such as Claude on Bedrock or Vertex).
 */
export function uploadAnswer(
  image: PublishedImage,
  publicBaseUrl: string,
  inline = false,
): Record<string, unknown> {
  const url = publicUrlOf(publicBaseUrl, image.key);
  // Renditions are single frames (the pipeline keeps the first), so frames are not passed.
  const { providers, providerNotes } = judgeProviders(image);
  const accepted = (blocks: PromptBlocks) => ({
    ...(providers.openai && { openaiChat: blocks.openaiChat, openaiResponses: blocks.openaiResponses }),
    ...(providers.anthropic && { anthropic: blocks.anthropic }),
    ...(providers.gemini && { gemini: blocks.gemini }),
  });
  const hasSize = image.width !== undefined && image.height !== undefined;
  const answer: Record<string, unknown> = {
    url,
    key: image.key,
    contentType: image.contentType,
    size: image.size,
    sha256: image.sha256,
    ...(hasSize && { width: image.width, height: image.height }),
    ...(image.profile !== undefined && { profile: image.profile }),
    method: image.method,
    providers,
    providerNotes,
    ...(hasSize && { tokens: estimateTokens(image.width!, image.height!) }),
    prompt: accepted(urlPromptBlocks(url, image.contentType)),
    original: image.original,
  };
  if (!inline) return answer;
  // The image is stored and its URL works: say why the bytes are missing rather than fail.
  if (image.size > MAX_INLINE_BYTES) {
    const message = `the rendition is ${image.size} bytes; inline answers carry at most ${MAX_INLINE_BYTES} (Lambda answers at most 6 MB): use the url, or a smaller fit`;
    return { ...answer, inlineError: { error: 'TOO_LARGE_TO_INLINE', message } };
  }
  const base64 = image.bytes.toString('base64');
  return { ...answer, base64, promptInline: accepted(inlinePromptBlocks(base64, image.contentType)) };
}
