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
