import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_DIRECT_UPLOAD_BYTES, DEFAULT_MAX_IMAGE_PIXELS } from '../../lambdas/core/limits';
import { MODEL_PROFILES, PROVIDER_NAMES, type ProfileName } from '../../lambdas/core/model-profiles';
import { uploadAnswer } from '../../lambdas/core/upload-answer';
import { publishImage } from '../../lambdas/publishing/publish-image';
import { noisyPng } from '../support/image-fixtures';
import { MemoryImageStore } from '../support/memory-image-store';
import { animatedGif } from '../support/model-ready-fixtures';

/**
 * The acceptance table of issue 20: each profile × the hostile uploads, published through the
 * real pipeline (sharp) and answered as the API answers. `providers` must match each provider's
 * published URL limit for the bytes actually served, with a note for every `false`.
 */
const BASE_URL = 'https://d111111abcdef8.cloudfront.net';
// As a presigned PUT takes them: the base64 route's 4.4 MB would refuse the 20 MB PNG first.
const LIMITS = { maxImageBytes: DEFAULT_MAX_DIRECT_UPLOAD_BYTES, maxImagePixels: DEFAULT_MAX_IMAGE_PIXELS };

type Hostile = '20 MB PNG' | '10000×100 strip' | 'animated GIF' | '8000×8000';
const uploads = {} as Record<Hostile, Buffer>;

beforeAll(async () => {
  // Noise stored without compression: 2600×2600 RGB is 20.3 MB and stays that big.
  uploads['20 MB PNG'] = await noisyPng(2600, 2600, 20);
  uploads['10000×100 strip'] = await sharp({
    create: { width: 10_000, height: 100, channels: 3, background: '#336699' },
  })
    .png()
    .toBuffer();
  uploads['animated GIF'] = await animatedGif();
  uploads['8000×8000'] = await sharp({
    create: { width: 8000, height: 8000, channels: 3, background: '#808040' },
  })
    .jpeg()
    .toBuffer();
}, 60_000);

const ALL = {};
// Anthropic refuses over 10 MiB per image and over 8000 px on a side; OpenAI over 50 MB;
// Gemini over 100 MB. Everything else here is taken by all three.
const ANTHROPIC_BYTES = { anthropic: /over 10,485,760 bytes; this one is 20,\d{3},\d{3}/ };
const ANTHROPIC_SIDE = { anthropic: /over 8000 px on a side; this one is 10000×100/ };

const TABLE: readonly [ProfileName, Hostile, Partial<Record<string, RegExp>>][] = [
  ['original', '20 MB PNG', ANTHROPIC_BYTES], // kept as uploaded: 20.3 MB
  ['gemini', '20 MB PNG', ANTHROPIC_BYTES], // 2600 px fits Gemini's 3072 and 20 MiB: kept too
  ['universal', '20 MB PNG', ALL],
  ['anthropic', '20 MB PNG', ALL],
  ['anthropic-hires', '20 MB PNG', ALL],
  ['openai', '20 MB PNG', ALL],
  ['original', '10000×100 strip', ANTHROPIC_SIDE], // no edge limit: served 10000 px long
  ['universal', '10000×100 strip', ALL],
  ['anthropic', '10000×100 strip', ALL],
  ['anthropic-hires', '10000×100 strip', ALL],
  ['openai', '10000×100 strip', ALL],
  ['gemini', '10000×100 strip', ALL],
  // Every profile serves an animated GIF as a still PNG of its first frame: all three take it.
  ['original', 'animated GIF', ALL],
  ['universal', 'animated GIF', ALL],
  ['anthropic', 'animated GIF', ALL],
  ['anthropic-hires', 'animated GIF', ALL],
  ['openai', 'animated GIF', ALL],
  ['gemini', 'animated GIF', ALL],
  ['original', '8000×8000', ALL], // exactly Anthropic's largest
  ['universal', '8000×8000', ALL],
  ['anthropic', '8000×8000', ALL],
  ['anthropic-hires', '8000×8000', ALL],
  ['openai', '8000×8000', ALL],
  ['gemini', '8000×8000', ALL],
];

describe('providers in the upload answer, profiles × hostile uploads', () => {
  it.each(TABLE)(
    'fit %s of a %s: providers match the published limits',
    async (fit, hostile, refused) => {
      // Prepare
      const store = new MemoryImageStore();

      // Act
      const image = await publishImage(
        { store, limits: LIMITS },
        {
          client: 'alice',
          bytes: uploads[hostile],
          declaredTypes: [],
          profile: MODEL_PROFILES[fit],
          via: 'api',
          source: 'upload',
        },
      );
      const answer = uploadAnswer(image, BASE_URL);

      // Assess: the answer describes the bytes served…
      const served = store.objects.get(image.key)!.bytes;
      const seen = await sharp(served).metadata();
      expect(answer).toMatchObject({ size: served.length, width: seen.width, height: seen.height });
      expect(seen.pages ?? 1).toBe(1);
      // …and judges them as each provider would.
      const providers = answer.providers as Record<string, boolean>;
      const notes = answer.providerNotes as Record<string, string>;
      for (const p of PROVIDER_NAMES) {
        const note = refused[p];
        expect(providers[p], p).toBe(note === undefined);
        if (note === undefined) expect(notes, p).not.toHaveProperty(p);
        else expect(notes[p], p).toMatch(note);
      }
      expect(Object.keys(answer.prompt as object)).toEqual([
        ...(providers.openai ? ['openaiChat', 'openaiResponses'] : []),
        ...(providers.anthropic ? ['anthropic'] : []),
        ...(providers.gemini ? ['gemini'] : []),
      ]);
    },
    60_000,
  );
});
