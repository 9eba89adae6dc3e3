import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** A PNG of random noise (incompressible), `width`×`height` RGB, stored without compression. */
export async function noisyPng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** Active content that must never be served. */
export const SVG_BYTES = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
export const HTML_BYTES = Buffer.from('<!doctype html><html><script>alert(1)</script></html>');
/** An ELF header, as a renamed executable starts. */
export const ELF_BYTES = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(256)]);
