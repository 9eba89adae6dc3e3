import { describe, expect, it } from 'vitest';
import { inlinePromptBlocks, urlPromptBlocks } from '../../lambdas/core/prompt-blocks';

const URL_ = 'https://d1.cloudfront.net/alice/ab12.jpg';

describe('urlPromptBlocks', () => {
  it('passes the URL in each provider API’s own block', () => {
    expect(urlPromptBlocks(URL_, 'image/jpeg')).toEqual({
      openaiChat: { type: 'image_url', image_url: { url: URL_ } },
      openaiResponses: { type: 'input_image', image_url: URL_, detail: 'auto' },
      anthropic: { type: 'image', source: { type: 'url', url: URL_ } },
      gemini: { fileData: { mimeType: 'image/jpeg', fileUri: URL_ } },
    });
  });

  it('is plain JSON, so a client can paste it as is', () => {
    const blocks = urlPromptBlocks(URL_, 'image/png');
    expect(JSON.parse(JSON.stringify(blocks))).toEqual(blocks);
  });
});

describe('inlinePromptBlocks', () => {
  it('passes the bytes as base64 or a data: URI, as each provider API expects', () => {
    expect(inlinePromptBlocks('iVBORw0KGgo=', 'image/png')).toEqual({
      openaiChat: { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      openaiResponses: {
        type: 'input_image',
        image_url: 'data:image/png;base64,iVBORw0KGgo=',
        detail: 'auto',
      },
      anthropic: { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      gemini: { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
    });
  });
});
