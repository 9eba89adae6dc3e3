import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../../lambdas/core/limits';
import { MODEL_PROFILES } from '../../lambdas/core/model-profiles';
import { renderForProfile } from '../../lambdas/imaging/render-image';

/**
 * Runs in its own process (see peak-rss.ts): imports the pipeline, warms it up on a small
 * JPEG that takes the same path (header, decode, orient, resize, encode), records the RSS
 * high-water mark, then renders one large JPEG (`BENCH_IMAGE`) to `universal` and reports the
 * new high-water mark. The warm-up image (1600×40: over the profile's 1568 px, so it is
 * resized) is kept tiny so that its own peak cannot hide the one under test. sharp keeps its
 * defaults (concurrency, cache), as on Lambda.
 */
const imageFile = process.env.BENCH_IMAGE!;
const maxRssBytes = () => process.resourceUsage().maxRSS * 1024;

const small = await sharp({ create: { width: 1600, height: 40, channels: 3, background: '#3366cc' } })
  .jpeg()
  .toBuffer();
for (let i = 0; i < 3; i++)
  await renderForProfile(small, 'jpeg', MODEL_PROFILES.universal, DEFAULT_MAX_IMAGE_PIXELS);
globalThis.gc?.();
const baseline = maxRssBytes();

// The upload's bytes are part of what a request costs: read after the baseline.
const bytes = readFileSync(imageFile);
const result = await renderForProfile(bytes, 'jpeg', MODEL_PROFILES.universal, DEFAULT_MAX_IMAGE_PIXELS);
const peak = maxRssBytes();
const { width, height } = result.original;
process.send!({
  baseline,
  peak,
  imageBytes: bytes.length,
  width,
  height,
  rendition: `${result.rendition.width}×${result.rendition.height} ${result.rendition.method}`,
  sharpConcurrency: sharp.concurrency(),
});
