import { crc32 } from 'node:zlib';
import { makeHeif, makeImage } from './image-fixtures';

/** Rewrites a PNG's IHDR size, with a correct chunk CRC: a tiny file declaring a huge image. */
function pngDeclaring(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

function jpegDeclaring(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let offset = 2; offset + 9 <= out.length; ) {
    const marker = out[offset + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      out.writeUInt16BE(height, offset + 5);
      out.writeUInt16BE(width, offset + 7);
      return out;
    }
    offset += 2 + out.readUInt16BE(offset + 2);
  }
  throw new Error('no SOF0/SOF2 in the JPEG fixture');
}

function ispeDeclaring(file: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(file);
  const ispe = out.indexOf('ispe', 0, 'latin1');
  if (ispe < 0) throw new Error('no ispe box in the fixture');
  out.writeUInt32BE(width, ispe + 8);
  out.writeUInt32BE(height, ispe + 12);
  return out;
}

/** A WebP whose first chunk is an extended header (VP8X) declaring a canvas of width × height. */
function webpVp8xDeclaring(width: number, height: number): Buffer {
  const chunk = Buffer.alloc(18);
  chunk.write('VP8X', 0, 'latin1');
  chunk.writeUInt32LE(10, 4);
  chunk.writeUIntLE(width - 1, 12, 3);
  chunk.writeUIntLE(height - 1, 15, 3);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + chunk.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, chunk]);
}

function webpVp8Declaring(webp: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(webp);
  if (out.toString('latin1', 12, 16) !== 'VP8 ') throw new Error('the WebP fixture is not lossy VP8');
  out.writeUInt16LE(width & 0x3fff, 26);
  out.writeUInt16LE(height & 0x3fff, 28);
  return out;
}

/**
 * Decompression bombs: real, well-formed files of a few hundred bytes whose headers declare
 * far more pixels than the limit (100 megapixels by default), one per accepted still format.
 */
export async function makeBombs(): Promise<Record<string, Buffer>> {
  const [png, gif, jpeg, webp, avif] = await Promise.all([
    makeImage('png', 2, 2),
    makeImage('gif', 2, 2),
    makeImage('jpeg', 2, 2),
    makeImage('webp', 2, 2),
    makeImage('avif', 2, 2),
  ]);
  const gifBomb = Buffer.from(gif);
  gifBomb.writeUInt16LE(65_535, 6);
  gifBomb.writeUInt16LE(65_535, 8);
  return {
    'PNG 100000×100000': pngDeclaring(png, 100_000, 100_000),
    'GIF 65535×65535': gifBomb,
    'JPEG 65535×65535': jpegDeclaring(jpeg, 65_535, 65_535),
    'WebP VP8 16383×16383': webpVp8Declaring(webp, 16_383, 16_383),
    'WebP VP8X 100000×100000': webpVp8xDeclaring(100_000, 100_000),
    'AVIF 100000×100000': ispeDeclaring(avif, 100_000, 100_000),
    'HEIC 100000×100000': makeHeif('heic', 100_000, 100_000),
  };
}
