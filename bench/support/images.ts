import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

export type NoisyFormat = 'png' | 'jpeg';

async function encode(format: NoisyFormat, side: number): Promise<Buffer> {
  const pixels = sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } });
  return format === 'png'
    ? pixels.png({ compressionLevel: 1 }).toBuffer()
    : pixels.jpeg({ quality: 90 }).toBuffer();
}

/**
 * A real, decodable image of random noise (so it does not compress) whose encoded size is
 * within 3% of `targetBytes` and never above `maxBytes`. Each call gives distinct bytes.
 */
export async function noisyImage(
  format: NoisyFormat,
  targetBytes: number,
  maxBytes = Infinity,
): Promise<Buffer> {
  // Noise costs ~3 bytes a pixel in PNG and ~1.3 in JPEG q90; then correct on the measured size.
  let side = Math.round(Math.sqrt(targetBytes / (format === 'png' ? 3 : 1.3)));
  for (let attempt = 0; attempt < 8; attempt++) {
    const image = await encode(format, side);
    if (Math.abs(image.length - targetBytes) <= targetBytes * 0.03 && image.length <= maxBytes) return image;
    side = Math.max(
      8,
      Math.round(side * Math.sqrt(targetBytes / image.length) * (image.length > maxBytes ? 0.99 : 1)),
    );
  }
  throw new Error(`could not make a ${format} of about ${targetBytes} bytes`);
}
