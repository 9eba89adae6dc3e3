/**
 * Type-level test, compiled by `tsc --noEmit` (part of `npm test`): the prompt blocks of an
 * upload answer (`prompt`, `promptInline`), as the TypeScript client types them, fit the
 * providers' own SDK request types where a caller pastes them. If a provider's SDK changes its
 * types and our blocks stop fitting, this file stops compiling. The `@ts-expect-error` lines show
 * the check bites: the shapes this service answered before its blocks were fitted to the SDKs
 * are refused. prompt-blocks-sdks.test.ts sends the requests built here through each SDK.
 */
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { GenerateContentParameters, Part } from '@google/genai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type {
  ResponseCreateParamsNonStreaming,
  ResponseInputImage,
} from 'openai/resources/responses/responses';
import type { PromptBlocks, UploadAnswer } from '../../../clients/typescript/src/index.ts';

const TEXT = 'What is in this photo?';

export const openaiChat = (blocks: PromptBlocks): ChatCompletionCreateParamsNonStreaming => ({
  model: 'gpt-5.1',
  messages: [{ role: 'user', content: [{ type: 'text', text: TEXT }, blocks.openaiChat!] }],
});

export const openaiResponses = (blocks: PromptBlocks): ResponseCreateParamsNonStreaming => ({
  model: 'gpt-5.1',
  input: [{ role: 'user', content: [{ type: 'input_text', text: TEXT }, blocks.openaiResponses!] }],
});

export const anthropic = (blocks: PromptBlocks): MessageCreateParamsNonStreaming => ({
  model: 'claude-opus-4-7',
  max_tokens: 1024,
  messages: [{ role: 'user', content: [blocks.anthropic!, { type: 'text', text: TEXT }] }],
});

export const gemini = (blocks: PromptBlocks): GenerateContentParameters => ({
  model: 'gemini-3-pro',
  contents: [{ role: 'user', parts: [blocks.gemini!, { text: TEXT }] }],
});

/** Both kinds of an answer's blocks, by URL and inline (`inline: true`), fit each request. */
export const requestsOf = (answer: UploadAnswer) =>
  [answer.prompt, answer.promptInline!].map((blocks) => ({
    openaiChat: openaiChat(blocks),
    openaiResponses: openaiResponses(blocks),
    anthropic: anthropic(blocks),
    gemini: gemini(blocks),
  }));

// What the blocks were before: each is refused by its SDK's type.
// @ts-expect-error `detail` is required by the openai SDK's ResponseInputImage
export const responsesWithoutDetail: ResponseInputImage = {
  type: 'input_image',
  image_url: 'https://x/a.jpg',
};
// @ts-expect-error @google/genai's Part has no snake_case fields (and drops them when it sends)
export const snakeCaseGemini: Part = { file_data: { mime_type: 'image/jpeg', file_uri: 'https://x/a.jpg' } };
export const anyMediaType = (mediaType: string): MessageCreateParamsNonStreaming['messages'][number] => ({
  role: 'user',
  // @ts-expect-error Anthropic's base64 source takes four media types, not any string
  content: [{ type: 'image', source: { type: 'base64', media_type: mediaType, data: 'AA==' } }],
});
