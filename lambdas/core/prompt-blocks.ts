import { formatFromContentType } from './media-types';
import { MODEL_PROFILES, type ProfileName } from './model-profiles';

/** One content block per provider API, ready to paste into a request's message content. */
export interface PromptBlocks {
  /** OpenAI Chat Completions `content` part. */
  readonly openaiChat: unknown;
  /** OpenAI Responses `input` content part. */
  readonly openaiResponses: unknown;
  /** Anthropic Messages `content` block. */
  readonly anthropic: unknown;
  /** Gemini `generateContent` part. */
  readonly gemini: unknown;
}

/**
 * Ready-to-paste content blocks that pass a served URL to each provider API, in the shapes the
 * providers' own SDKs type and send (test/clients/provider-sdks): OpenAI Responses types
 * `detail` as required; `@google/genai` knows only camelCase part fields (it drops `file_data`),
 * which Gemini's REST API accepts too.
 */
export function urlPromptBlocks(url: string, contentType: string): PromptBlocks {
  return {
    openaiChat: { type: 'image_url', image_url: { url } },
    openaiResponses: { type: 'input_image', image_url: url, detail: 'auto' },
    anthropic: { type: 'image', source: { type: 'url', url } },
    gemini: { fileData: { mimeType: contentType, fileUri: url } },
  };
}

/** The same with the bytes inline, base64-encoded (Claude on Bedrock and Vertex takes base64 only). */
export function inlinePromptBlocks(base64: string, contentType: string): PromptBlocks {
  const dataUri = `data:${contentType};base64,${base64}`;
  return {
    openaiChat: { type: 'image_url', image_url: { url: dataUri } },
    openaiResponses: { type: 'input_image', image_url: dataUri, detail: 'auto' },
    anthropic: { type: 'image', source: { type: 'base64', media_type: contentType, data: base64 } },
    gemini: { inlineData: { mimeType: contentType, data: base64 } },
  };
}

/**
 * Which providers take a served content type by URL, from each provider profile's formats:
 * JPEG, PNG and WebP go to all three; GIF (served still) to Anthropic and OpenAI; anything else
 * (video/mp4 included) to none.
 */
export function providersAccepting(contentType: string): {
  readonly anthropic: boolean;
  readonly openai: boolean;
  readonly gemini: boolean;
} {
  const format = formatFromContentType(contentType);
  const takes = (profile: ProfileName) => MODEL_PROFILES[profile].formats.some((f) => f === format);
  return { anthropic: takes('anthropic'), openai: takes('openai'), gemini: takes('gemini') };
}
