import { createHash } from 'node:crypto';
import sharp from 'sharp';

/** One image of the load run, with what the service must answer for it. */
export interface LoadImage {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly ext: string;
  readonly sha256: string;
}

const FORMATS = [
  { format: 'png', contentType: 'image/png', ext: 'png' },
  { format: 'jpeg', contentType: 'image/jpeg', ext: 'jpg' },
  { format: 'webp', contentType: 'image/webp', ext: 'webp' },
  { format: 'gif', contentType: 'image/gif', ext: 'gif' },
  { format: 'avif', contentType: 'image/avif', ext: 'avif' },
] as const;

/** A deterministic pseudo-random sequence (LCG), so runs are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `count` distinct images of mixed formats and sizes, made with sharp from seeded noise:
 * most a few KB, about one in five tens to hundreds of KB, and one in twenty (PNG/JPEG) of
 * 1–3 MB, the sizes bots send. `maxSide` caps the large ones (the in-test run keeps them small).
 */
export async function makeLoadImages(count: number, seed = 7, maxSide = 1_000): Promise<LoadImage[]> {
  const random = seededRandom(seed);
  const specs = Array.from({ length: count }, (_, i) => {
    const roll = random();
    const kind = FORMATS[i % FORMATS.length]!;
    const large = roll < 0.05 && (kind.format === 'png' || kind.format === 'jpeg');
    const side = large
      ? Math.min(maxSide, 600 + Math.floor(random() * 400))
      : roll < 0.25
        ? 100 + Math.floor(random() * 200)
        : 8 + Math.floor(random() * 56);
    return { kind, side, noiseSeed: Math.floor(random() * 2 ** 31) };
  });
  const images: LoadImage[] = [];
  // Eight at a time: libvips is multi-threaded already.
  for (let start = 0; start < specs.length; start += 8) {
    images.push(...(await Promise.all(specs.slice(start, start + 8).map(makeOne))));
  }
  return images;
}

async function makeOne(spec: {
  kind: (typeof FORMATS)[number];
  side: number;
  noiseSeed: number;
}): Promise<LoadImage> {
  const random = seededRandom(spec.noiseSeed);
  const raw = Buffer.alloc(spec.side * spec.side * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(random() * 256);
  const image = sharp(raw, { raw: { width: spec.side, height: spec.side, channels: 3 } });
  const encoders = {
    png: () => image.png({ compressionLevel: 1 }),
    jpeg: () => image.jpeg({ quality: 80 }),
    webp: () => image.webp({ effort: 0 }),
    gif: () => image.gif({ effort: 1 }),
    avif: () => image.avif({ effort: 0 }),
  };
  const bytes = await encoders[spec.kind.format]().toBuffer();
  return {
    bytes,
    contentType: spec.kind.contentType,
    ext: spec.kind.ext,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
