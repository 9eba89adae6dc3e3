import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inlinePromptBlocks, urlPromptBlocks } from '../../lambdas/core/prompt-blocks';
import { ANTHROPIC_BASE64_CLOUD_MAX_BYTES } from '../../lambdas/core/model-profiles';
import { estimateTokens } from '../../lambdas/core/token-estimates';
import { MAX_INLINE_BYTES, uploadAnswer, type PublishedImage } from '../../lambdas/core/upload-answer';
import { makeMp4 } from '../support/image-fixtures';

const BASE_URL = 'https://d111111abcdef8.cloudfront.net';
const ALL_PROVIDERS = { anthropic: true, openai: true, gemini: true };
const NO_PROVIDER = { anthropic: false, openai: false, gemini: false };

/** A rendition as the publishing step makes it, of real bytes sharp encoded. */
async function published(
  format: 'jpeg' | 'png' | 'webp' | 'gif',
  overrides: Partial<PublishedImage> = {},
): Promise<PublishedImage> {
  const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } })
    .toFormat(format)
    .toBuffer();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const ext = format === 'jpeg' ? 'jpg' : format;
  return {
    key: `alice/${sha256}.${ext}`,
    contentType: `image/${format}`,
    size: bytes.length,
    sha256,
    width: 40,
    height: 30,
    profile: 'universal',
    method: 'rendered',
    bytes,
    original: { contentType: 'image/heic', size: 91_234, width: 4032, height: 3024, frames: 1 },
    ...overrides,
  };
}

/** An MP4 clip as published: stored as it came, no pixel size. */
function publishedClip(): PublishedImage {
  const bytes = makeMp4();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    key: `alice/${sha256}.mp4`,
    contentType: 'video/mp4',
    size: bytes.length,
    sha256,
    method: 'as-uploaded',
    bytes,
    original: { contentType: 'video/mp4', size: bytes.length },
  };
}

describe('uploadAnswer', () => {
  it.each([
    [BASE_URL, 'alice/abc.jpg', `${BASE_URL}/alice/abc.jpg`],
    [`${BASE_URL}/`, 'alice/abc.jpg', `${BASE_URL}/alice/abc.jpg`],
    ['https://media.example.com/cdn', 'alice/abc.png', 'https://media.example.com/cdn/alice/abc.png'],
    [BASE_URL, 'alice/my photo é#1.jpg', `${BASE_URL}/alice/my%20photo%20%C3%A9%231.jpg`],
  ])('builds the url from %s and the key %s', async (baseUrl, key, url) => {
    // Prepare
    const image = await published('jpeg', { key });

    // Act
    const answer = uploadAnswer(image, baseUrl);

    // Assess
    expect(answer.url).toBe(url);
    expect(answer.key).toBe(key);
  });

  it('reports what was published and what was uploaded', async () => {
    // Prepare
    const image = await published('jpeg');

    // Act
    const answer = uploadAnswer(image, BASE_URL);

    // Assess
    expect(answer).toMatchObject({
      key: image.key,
      contentType: 'image/jpeg',
      size: image.size,
      sha256: image.sha256,
      width: 40,
      height: 30,
      profile: 'universal',
      method: 'rendered',
      providers: ALL_PROVIDERS,
      original: { contentType: 'image/heic', size: 91_234, width: 4032, height: 3024, frames: 1 },
    });
  });

  it('is plain JSON: no Buffer rides along', async () => {
    // Prepare
    const image = await published('png');

    // Act
    const answer = uploadAnswer(image, BASE_URL, true);

    // Assess
    expect(answer).not.toHaveProperty('bytes');
    expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
  });

  it.each([
    [40, 30],
    [1568, 1045],
    [1092, 1092],
    [4000, 3000],
    [1, 1],
  ])('estimates the tokens of a %i×%i rendition with estimateTokens', async (width, height) => {
    // Prepare
    const image = await published('jpeg', { width, height });

    // Act
    const answer = uploadAnswer(image, BASE_URL);

    // Assess
    expect(answer.tokens).toEqual(estimateTokens(width, height));
    expect(answer).toMatchObject({ width, height });
  });

  it('counts 1521 Claude tokens for a 1092×1092 rendition (39×39 patches of 28 px)', async () => {
    // Prepare
    const image = await published('png', { width: 1092, height: 1092 });

    // Act
    const answer = uploadAnswer(image, BASE_URL);

    // Assess
    expect(answer.tokens).toMatchObject({ anthropic: 1521 });
  });

  it.each([
    ['neither width nor height', { width: undefined, height: undefined }],
    ['a width only', { width: 40, height: undefined }],
    ['a height only', { width: undefined, height: 30 }],
  ])('leaves out size and tokens when it knows %s', async (_name, size) => {
    // Prepare
    const image = await published('jpeg', size);

    // Act
    const answer = uploadAnswer(image, BASE_URL);

    // Assess
    expect(answer).not.toHaveProperty('width');
    expect(answer).not.toHaveProperty('height');
    expect(answer).not.toHaveProperty('tokens');
  });

  it('leaves out the profile when the rendition has none', async () => {
    // Prepare
    const image = await published('jpeg', { profile: undefined });

    // Act
    const answer = uploadAnswer(image, BASE_URL);

    // Assess
    expect(answer).not.toHaveProperty('profile');
  });

  it.each([
    ['jpeg', ALL_PROVIDERS, ['openaiChat', 'openaiResponses', 'anthropic', 'gemini']],
    ['png', ALL_PROVIDERS, ['openaiChat', 'openaiResponses', 'anthropic', 'gemini']],
    ['webp', ALL_PROVIDERS, ['openaiChat', 'openaiResponses', 'anthropic', 'gemini']],
    ['gif', { anthropic: true, openai: true, gemini: false }, ['openaiChat', 'openaiResponses', 'anthropic']],
  ] as const)(
    'gives URL prompt blocks for a %s only to the providers that accept it',
    async (format, providers, blocks) => {
      // Prepare
      const image = await published(format);
      const url = `${BASE_URL}/${image.key}`;
      const all = urlPromptBlocks(url, image.contentType);

      // Act
      const answer = uploadAnswer(image, BASE_URL);

      // Assess
      expect(answer.providers).toEqual(providers);
      expect(answer.prompt).toEqual(Object.fromEntries(blocks.map((name) => [name, all[name]])));
      expect(answer).not.toHaveProperty('base64');
      expect(answer).not.toHaveProperty('promptInline');
      expect(answer).not.toHaveProperty('inlineError');
    },
  );

  it('answers no provider notes when every provider takes the rendition', async () => {
    // Act
    const answer = uploadAnswer(await published('png'), BASE_URL);

    // Assess
    expect(answer.providerNotes).toEqual({});
  });

  it('says why Gemini does not take a GIF', async () => {
    // Act
    const answer = uploadAnswer(await published('gif'), BASE_URL);

    // Assess
    expect(answer.providerNotes).toEqual({
      gemini: 'Gemini takes only jpeg, png, webp by URL; this is image/gif',
    });
  });

  it.each([
    ['wider than 8000 px', { width: 10_000, height: 100 }, /over 8000 px on a side; this one is 10000×100/],
    ['over 10 MiB', { size: 10 * 1024 * 1024 + 1 }, /over 10,485,760 bytes; this one is 10,485,761/],
  ])(
    'gives Anthropic no block, by URL or inline, for a rendition %s, and says why',
    async (_name, over, why) => {
      // Prepare
      const image = await published('png', over);

      // Act
      const answer = uploadAnswer(image, BASE_URL, true);

      // Assess
      expect(answer.providers).toEqual({ anthropic: false, openai: true, gemini: true });
      expect((answer.providerNotes as { anthropic: string }).anthropic).toMatch(why);
      expect(answer.prompt).not.toHaveProperty('anthropic');
      expect(answer.prompt).toHaveProperty('gemini');
      expect(answer.promptInline ?? {}).not.toHaveProperty('anthropic');
    },
  );

  it('inlines no more than Claude takes as base64 on Bedrock and Vertex', () => {
    expect(MAX_INLINE_BYTES).toBeLessThanOrEqual(ANTHROPIC_BASE64_CLOUD_MAX_BYTES);
  });

  it('passes the url itself in the Anthropic block', async () => {
    // Prepare
    const image = await published('jpeg');

    // Act
    const answer = uploadAnswer(image, BASE_URL);

    // Assess
    expect(answer.prompt).toMatchObject({
      anthropic: { type: 'image', source: { type: 'url', url: answer.url } },
    });
  });

  it('gives an MP4 clip no prompt blocks and no provider, with or without inline', () => {
    // Prepare
    const clip = publishedClip();

    // Act
    const answer = uploadAnswer(clip, BASE_URL);
    const inline = uploadAnswer(clip, BASE_URL, true);

    // Assess
    expect(answer.providers).toEqual(NO_PROVIDER);
    expect(answer.providerNotes).toEqual({
      anthropic: 'Anthropic takes only jpeg, png, gif, webp by URL; this is video/mp4',
      openai: 'OpenAI takes only png, jpeg, webp, gif by URL; this is video/mp4',
      gemini: 'Gemini takes only jpeg, png, webp by URL; this is video/mp4',
    });
    expect(answer.prompt).toEqual({});
    expect(answer).not.toHaveProperty('tokens');
    expect(inline.promptInline).toEqual({});
  });

  it.each([
    ['jpeg', ['openaiChat', 'openaiResponses', 'anthropic', 'gemini']],
    ['webp', ['openaiChat', 'openaiResponses', 'anthropic', 'gemini']],
    ['gif', ['openaiChat', 'openaiResponses', 'anthropic']],
  ] as const)('inlines a %s as base64 with prompt blocks that carry it', async (format, blocks) => {
    // Prepare
    const image = await published(format);

    // Act
    const answer = uploadAnswer(image, BASE_URL, true);

    // Assess
    const base64 = answer.base64 as string;
    expect(Buffer.from(base64, 'base64').equals(image.bytes)).toBe(true);
    expect(await sharp(Buffer.from(base64, 'base64')).metadata()).toMatchObject({
      format,
      width: 40,
      height: 30,
    });
    const all = inlinePromptBlocks(base64, image.contentType);
    expect(answer.promptInline).toEqual(Object.fromEntries(blocks.map((name) => [name, all[name]])));
    expect(answer.prompt).toEqual(
      Object.fromEntries(
        blocks.map((name) => [name, urlPromptBlocks(answer.url as string, image.contentType)[name]]),
      ),
    );
    expect(answer).not.toHaveProperty('inlineError');
  });

  it.each([
    ['exactly the limit', MAX_INLINE_BYTES, true],
    ['one byte over the limit', MAX_INLINE_BYTES + 1, false],
  ])('inlines a rendition of %s only when it fits', async (_name, size, inlined) => {
    // Prepare
    const bytes = Buffer.alloc(size, 0xab);
    const image = await published('png', { bytes, size });

    // Act
    const answer = uploadAnswer(image, BASE_URL, true);

    // Assess
    expect(answer.url).toBe(`${BASE_URL}/${image.key}`);
    expect('base64' in answer).toBe(inlined);
    expect('promptInline' in answer).toBe(inlined);
    expect('inlineError' in answer).toBe(!inlined);
  });

  it('says why a rendition over MAX_INLINE_BYTES is not inlined, and still answers its url', async () => {
    // Prepare
    const size = MAX_INLINE_BYTES + 1;
    const image = await published('png', { bytes: Buffer.alloc(size, 0xab), size });

    // Act
    const answer = uploadAnswer(image, BASE_URL, true);

    // Assess
    expect(answer.inlineError).toEqual({
      error: 'TOO_LARGE_TO_INLINE',
      message: expect.stringContaining(`${size} bytes`),
    });
    expect((answer.inlineError as { message: string }).message).toContain(String(MAX_INLINE_BYTES));
    expect(answer).not.toHaveProperty('base64');
    expect(answer).not.toHaveProperty('promptInline');
    expect(answer).toMatchObject({ url: `${BASE_URL}/${image.key}`, size, providers: ALL_PROVIDERS });
  });
});
