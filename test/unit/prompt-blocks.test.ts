import { describe, expect, it } from 'vitest';
import { inlinePromptBlocks, providersAccepting, urlPromptBlocks } from '../../lambdas/core/prompt-blocks';

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

describe('providersAccepting', () => {
  const all = { anthropic: true, openai: true, gemini: true };
  const none = { anthropic: false, openai: false, gemini: false };
  it.each([
    ['image/jpeg', all],
    ['image/png', all],
    ['image/webp', all],
    ['image/jpg', all], // the common misspelling of image/jpeg
    [' IMAGE/PNG; charset=binary', all],
    ['image/gif', { anthropic: true, openai: true, gemini: false }], // Gemini does not fetch GIF
    ['video/mp4', none],
    ['image/avif', none],
    ['image/heic', none], // Gemini takes HEIC inline only, not by URL
    ['image/bmp', none], // never served: not on the allow-list
    ['application/octet-stream', none],
    ['', none],
  ])('answers %j with %j', (contentType, expected) => {
    expect(providersAccepting(contentType)).toEqual(expected);
  });
});
