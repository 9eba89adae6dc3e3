import { crc32 } from 'node:zlib';

/**
 * Byte-level builders for what sharp cannot write: JPEG segments it never emits (COM, JFIF,
 * DRI with restart markers), PNG chunks (tEXt, iTXt, tIME, acTL…) with correct CRCs.
 * Each is spliced into a real image sharp made, so the rest of the file stays genuine.
 */

/** One JPEG marker segment: `FF marker`, its big-endian length (which counts itself), payload. */
export function jpegSegment(marker: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(2 + body.length, 2);
  return Buffer.concat([header, body]);
}

/** The JPEG with `inserted` spliced in at byte `at` (2 = right after SOI). */
export function spliceInto(jpeg: Buffer, at: number, ...inserted: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, at), ...inserted, jpeg.subarray(at)]);
}

/** The segment right after SOI (sharp writes EXIF/XMP/ICC there), marker and length included. */
export function segmentAfterSoi(jpeg: Buffer): Buffer {
  return jpeg.subarray(2, 4 + jpeg.readUInt16BE(4));
}

/**
 * Everything from the last start-of-scan marker through end-of-image: the last scan's header
 * and entropy-coded data. Entropy-coded data cannot hold FF D9, so the first EOI after the
 * last SOS is the image's end.
 */
export function lastScanThroughEoi(jpeg: Buffer): Buffer {
  const sos = jpeg.lastIndexOf(Buffer.from([0xff, 0xda]));
  return jpeg.subarray(sos, jpeg.indexOf(Buffer.from([0xff, 0xd9]), sos) + 2);
}

/** Everything from the first start-of-scan marker through end-of-image (every scan of a progressive JPEG). */
export function allScansThroughEoi(jpeg: Buffer): Buffer {
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
  return jpeg.subarray(
    sos,
    jpeg.indexOf(Buffer.from([0xff, 0xd9]), jpeg.lastIndexOf(Buffer.from([0xff, 0xda]))) + 2,
  );
}

/**
 * A baseline greyscale JPEG of `grey.length` 8×8 blocks side by side, with a restart interval
 * of one block (DRI), so the scan holds RST0, RST1 … RST7, RST0 … between blocks. Each block
 * is flat: grey[i] (65..96 or 160..191) is its every pixel. sharp cannot set a restart interval.
 */
export function restartIntervalJpeg(grey: readonly number[]): Buffer {
  const dqt = jpegSegment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)])); // all quantisers 1
  const sofPayload = Buffer.from([8, 0, 8, 0, 0, 1, 1, 0x11, 0]); // 8-bit, 8 high, (width), 1 component
  sofPayload.writeUInt16BE(8 * grey.length, 3);
  const sof0 = jpegSegment(0xc0, sofPayload);
  // One DC code ('0' = category 9) and one AC code ('0' = end of block).
  const dhtDc = jpegSegment(0xc4, Buffer.from([0x00, 1, ...Array<number>(15).fill(0), 9]));
  const dhtAc = jpegSegment(0xc4, Buffer.from([0x10, 1, ...Array<number>(15).fill(0), 0x00]));
  const dri = jpegSegment(0xdd, Buffer.from([0, 1]));
  const sos = jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  const scan: number[] = [];
  grey.forEach((value, i) => {
    // A flat block's DC coefficient is 8 × (value − 128); a restart resets the prediction, so
    // each block codes its own. Category 9 holds |DC| 256..511; negatives as one's complement.
    const dc = 8 * (value - 128);
    if (Math.abs(dc) < 256 || Math.abs(dc) > 511)
      throw new RangeError(`grey ${value} must be 65..96 or 160..191`);
    const bits = dc > 0 ? dc : dc + 511;
    // '0' (DC code) + 9 bits + '0' (EOB) + five 1s of padding: two bytes, never FF.
    const word = (bits << 6) | 0b011111;
    scan.push(word >> 8, word & 0xff);
    if (i < grey.length - 1) scan.push(0xff, 0xd0 + (i % 8));
  });
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    dqt,
    sof0,
    dhtDc,
    dhtAc,
    dri,
    sos,
    Buffer.from(scan),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** One PNG chunk: length, type, data, and the CRC-32 of type and data. */
export function pngChunk(type: string, data: Buffer | string): Buffer {
  const body = Buffer.concat([
    Buffer.from(type, 'latin1'),
    typeof data === 'string' ? Buffer.from(data, 'latin1') : data,
  ]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(body.length - 4, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

const PNG_HEADER_END = 8 + 25; // signature, IHDR chunk

/** The PNG with `chunks` spliced in right after IHDR. */
export function withChunksAfterIhdr(png: Buffer, ...chunks: Buffer[]): Buffer {
  return Buffer.concat([png.subarray(0, PNG_HEADER_END), ...chunks, png.subarray(PNG_HEADER_END)]);
}

/** The PNG with `chunks` spliced in right before IEND (the last 12 bytes). */
export function withChunksBeforeIend(png: Buffer, ...chunks: Buffer[]): Buffer {
  return Buffer.concat([png.subarray(0, png.length - 12), ...chunks, png.subarray(png.length - 12)]);
}

/** The chunk types of a PNG, in order. */
export function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 8; offset + 12 <= png.length; offset += 12 + png.readUInt32BE(offset)) {
    types.push(png.toString('latin1', offset + 4, offset + 8));
  }
  return types;
}
