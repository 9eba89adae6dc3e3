import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidImageError } from '../../lambdas/core/errors';
import { isCleanJpeg, parseJpegLayout, stripJpegMetadata } from '../../lambdas/core/jpeg-segments';
import {
  allScansThroughEoi,
  jpegSegment,
  lastScanThroughEoi,
  restartIntervalJpeg,
  segmentAfterSoi,
  spliceInto,
} from '../support/crafted-images';
import { CAMERA, GPS, XMP } from '../support/metadata-samples';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP14 = 0xee;
const SOS_BYTES = Buffer.from([0xff, SOS]);

const HTML = '<html><body><script>alert(document.cookie)</script></body></html>';
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('payload.exe')]);
// An APP14 segment that is not Adobe's (no "Adobe" identifier): it says nothing about the pixels.
const FOREIGN_APP14 = 'GPS 48.8566N 2.3522E <script>alert(document.cookie)</script>';
// The restart JPEG's blocks: ten, so its scan holds RST0..RST7 and wraps to RST0 again.
const GREYS = [160, 96, 170, 80, 191, 65, 180, 90, 175, 70];

/** A 48×32 RGB gradient: every pixel differs, so a decode that goes wrong shows. */
function gradient(): Sharp {
  const width = 48;
  const height = 32;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = x * 5;
      raw[i + 1] = y * 7;
      raw[i + 2] = 255 - x * 2 - y * 2;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

/** A noisy JPEG at high quality: its entropy-coded data is full of stuffed FF 00 pairs. */
function noisyJpeg(): Promise<Buffer> {
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (Math.imul(i, 2_654_435_761) >>> 13) & 0xff;
  return sharp(raw, { raw: { width: 64, height: 48, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

const baseline = () => gradient().jpeg().toBuffer();
const progressive = () => gradient().jpeg({ progressive: true }).toBuffer();
const cmyk = () => gradient().toColourspace('cmyk').jpeg();

/** Decoded samples, colour profiles ignored: what the entropy-coded data holds. */
function pixelsOf(jpeg: Buffer): Promise<Buffer> {
  return sharp(jpeg, { ignoreIcc: true }).raw().toBuffer();
}

function markersOf(jpeg: Buffer): number[] {
  return parseJpegLayout(jpeg).segments.map((s) => s.marker);
}

interface DirtyJpeg {
  readonly jpeg: Buffer;
  /** Bytes that mark what must go (a segment's identifier, an appended payload). */
  readonly trace: string;
  /** The JPEG it was made from, when only segments or a tail were added to it. */
  readonly clean?: Buffer;
}

// Every kind of JPEG that carries something to remove, made by sharp or spliced into one it made.
const DIRTY: ReadonlyArray<readonly [string, () => Promise<DirtyJpeg>]> = [
  [
    'baseline JPEG with EXIF and GPS',
    async () => ({
      jpeg: await gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer(),
      trace: 'iPhone 15 Pro',
      clean: await baseline(),
    }),
  ],
  [
    'progressive JPEG with EXIF and GPS',
    async () => ({
      jpeg: await gradient().jpeg({ progressive: true }).withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer(),
      trace: 'iPhone 15 Pro',
      clean: await progressive(),
    }),
  ],
  [
    'baseline JPEG with XMP',
    async () => ({
      jpeg: await gradient().jpeg().withXmp(XMP).toBuffer(),
      trace: 'xmpmeta',
      clean: await baseline(),
    }),
  ],
  [
    'baseline JPEG with EXIF and ICC (withMetadata)',
    async () => ({ jpeg: await gradient().jpeg().withMetadata().toBuffer(), trace: 'ICC_PROFILE\0' }),
  ],
  [
    'baseline JPEG with a Display P3 ICC profile',
    async () => ({ jpeg: await gradient().jpeg().withIccProfile('p3').toBuffer(), trace: 'ICC_PROFILE\0' }),
  ],
  [
    'baseline JPEG with a comment (COM)',
    async () => {
      const clean = await baseline();
      return {
        jpeg: spliceInto(clean, 2, jpegSegment(0xfe, 'shot at 12 Rue de Rivoli')),
        trace: 'Rue de Rivoli',
        clean,
      };
    },
  ],
  [
    'baseline JPEG with a JFIF APP0',
    async () => {
      const clean = await baseline();
      return {
        jpeg: spliceInto(
          clean,
          2,
          jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x48\0\x48\0\0', 'latin1')),
        ),
        trace: 'JFIF\0',
        clean,
      };
    },
  ],
  [
    'baseline JPEG with Photoshop IPTC (APP13)',
    async () => {
      const clean = await baseline();
      return {
        jpeg: spliceInto(
          clean,
          2,
          jpegSegment(0xed, 'Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x78\0\x07Caption'),
        ),
        trace: 'Photoshop 3.0',
        clean,
      };
    },
  ],
  [
    'progressive JPEG with a comment between its scans',
    async () => {
      const clean = await progressive();
      return {
        jpeg: spliceInto(clean, clean.lastIndexOf(SOS_BYTES), jpegSegment(0xfe, 'between the scans')),
        trace: 'between the scans',
        clean,
      };
    },
  ],
  [
    'baseline JPEG with an HTML page after EOI',
    async () => {
      const clean = await baseline();
      return { jpeg: Buffer.concat([clean, Buffer.from(HTML)]), trace: '<script>', clean };
    },
  ],
  [
    'progressive JPEG with a ZIP after EOI',
    async () => {
      const clean = await progressive();
      return { jpeg: Buffer.concat([clean, ZIP]), trace: 'payload.exe', clean };
    },
  ],
  [
    'restart-marker JPEG with EXIF and GPS',
    async () => {
      const clean = restartIntervalJpeg(GREYS);
      const exif = segmentAfterSoi(await gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer());
      return { jpeg: spliceInto(clean, 2, exif), trace: 'iPhone 15 Pro', clean };
    },
  ],
  [
    'CMYK JPEG (Adobe APP14) with EXIF',
    async () => ({
      jpeg: await cmyk().withExif({ IFD0: CAMERA }).toBuffer(),
      trace: 'iPhone 15 Pro',
      clean: await cmyk().toBuffer(),
    }),
  ],
];

const WITH_CLEAN_ORIGINAL = DIRTY.filter(([name]) => !name.includes('ICC'));

// JPEGs with nothing to remove.
const CLEAN: ReadonlyArray<readonly [string, () => Promise<Buffer>]> = [
  ['baseline JPEG', baseline],
  ['progressive JPEG', progressive],
  ['greyscale JPEG', () => gradient().toColourspace('b-w').jpeg().toBuffer()],
  ['CMYK JPEG whose only APPn is the Adobe APP14', () => cmyk().toBuffer()],
  ['restart-marker JPEG', async () => restartIntervalJpeg(GREYS)],
];

describe('parseJpegLayout', () => {
  it.each([
    ['baseline', baseline, 0xc0],
    ['progressive', progressive, 0xc2],
    ['restart-marker', async () => restartIntervalJpeg(GREYS), 0xc0],
  ] as const)(
    'walks a %s JPEG from SOI to EOI in segments that tile it',
    async (_name, make, startOfFrame) => {
      // Prepare
      const jpeg = await make();

      // Act
      const layout = parseJpegLayout(jpeg);

      // Assess
      expect(layout.segments[0]).toEqual({ marker: SOI, start: 0, end: 2 });
      expect(layout.segments.at(-1)).toEqual({ marker: EOI, start: jpeg.length - 2, end: jpeg.length });
      expect(layout.segments.slice(1).map((s) => s.start)).toEqual(
        layout.segments.slice(0, -1).map((s) => s.end),
      );
      expect(layout.segments.map((s) => s.marker)).toContain(startOfFrame);
      expect(layout.imageEnd).toBe(jpeg.length);
    },
  );

  it('finds every scan of a progressive JPEG', async () => {
    // Prepare
    const jpeg = await progressive();

    // Act
    const scans = parseJpegLayout(jpeg).segments.filter((s) => s.marker === SOS);

    // Assess
    expect(scans.length).toBeGreaterThan(1);
    for (const scan of scans) expect(jpeg.subarray(scan.start, scan.start + 2)).toEqual(SOS_BYTES);
  });

  it('reads stuffed FF 00 bytes as part of the entropy-coded data', async () => {
    // Prepare
    const jpeg = await noisyJpeg();
    const sos = jpeg.lastIndexOf(SOS_BYTES);
    expect(jpeg.subarray(sos).includes(Buffer.from([0xff, 0x00]))).toBe(true);

    // Act
    const layout = parseJpegLayout(jpeg);

    // Assess
    expect(layout.segments.slice(-2)).toEqual([
      { marker: SOS, start: sos, end: jpeg.length - 2 },
      { marker: EOI, start: jpeg.length - 2, end: jpeg.length },
    ]);
  });

  it('reads restart markers as part of the scan they interrupt', async () => {
    // Prepare: the crafted JPEG really is one: sharp decodes each block to its grey
    const jpeg = restartIntervalJpeg(GREYS);
    const decoded = await sharp(jpeg).extractChannel(0).raw().toBuffer();
    expect([...GREYS.keys()].map((block) => decoded[block * 8])).toEqual(GREYS);
    for (let rst = 0xd0; rst <= 0xd7; rst++) expect(jpeg.includes(Buffer.from([0xff, rst]))).toBe(true);

    // Act
    const layout = parseJpegLayout(jpeg);

    // Assess
    expect(layout.segments.map((s) => s.marker)).toEqual([SOI, 0xdb, 0xc0, 0xc4, 0xc4, 0xdd, SOS, EOI]);
    expect(layout.segments.at(-2)!.end).toBe(jpeg.length - 2);
  });

  it.each([
    ['an HTML page', Buffer.from(HTML)],
    ['a ZIP archive', ZIP],
    ['a second JPEG (a motion photo)', restartIntervalJpeg(GREYS)],
  ])('ends the image at its EOI, before %s appended to it', async (_name, tail) => {
    // Prepare
    const image = await baseline();
    const jpeg = Buffer.concat([image, tail]);

    // Act
    const layout = parseJpegLayout(jpeg);

    // Assess
    expect(layout.imageEnd).toBe(image.length);
    expect(layout.segments.at(-1)).toEqual({ marker: EOI, start: image.length - 2, end: image.length });
  });

  it('skips fill bytes before a marker', async () => {
    // Prepare
    const image = await baseline();
    const jpeg = spliceInto(image, 2, Buffer.from([0xff, 0xff, 0xff]));

    // Act
    const layout = parseJpegLayout(jpeg);

    // Assess
    expect(layout.segments.map((s) => s.marker)).toEqual(markersOf(image));
    expect(layout.segments[1]!.start).toBe(5);
    expect(layout.imageEnd).toBe(jpeg.length);
  });

  it.each([
    ['only its SOI', (j: Buffer) => j.subarray(0, 2)],
    ['cut after a marker, before its length', (j: Buffer) => j.subarray(0, 4)],
    ['cut inside its first header segment', (j: Buffer) => j.subarray(0, 30)],
    ['cut inside its entropy-coded data', (j: Buffer) => j.subarray(0, j.length - 40)],
    ['cut just before its EOI', (j: Buffer) => j.subarray(0, j.length - 2)],
    ['cut between the two bytes of its EOI', (j: Buffer) => j.subarray(0, j.length - 1)],
    ['cut at the start of its last scan', (j: Buffer) => j.subarray(0, j.lastIndexOf(SOS_BYTES))],
    ['cut in half', (j: Buffer) => j.subarray(0, j.length >> 1)],
  ])('refuses a progressive JPEG with InvalidImageError when it is %s (truncated)', async (_name, cut) => {
    // Prepare
    const jpeg = cut(await progressive());

    // Act
    const act = () => parseJpegLayout(jpeg);

    // Assess
    expect(act).toThrow(InvalidImageError);
    expect(act).toThrow(
      expect.objectContaining({
        code: 'INVALID_IMAGE',
        statusCode: 422,
        message: expect.stringMatching(/truncated/),
      }),
    );
  });

  it.each([
    [
      'a byte other than FF where a marker must start',
      (j: Buffer) => Buffer.concat([j.subarray(0, 2), Buffer.from([0x00]), j.subarray(3)]),
    ],
    [
      'a segment length of 0',
      (j: Buffer) => Buffer.concat([j.subarray(0, 4), Buffer.from([0, 0]), j.subarray(6)]),
    ],
    [
      'a segment length of 1',
      (j: Buffer) => Buffer.concat([j.subarray(0, 4), Buffer.from([0, 1]), j.subarray(6)]),
    ],
    [
      'a segment length one byte too long, landing inside the next segment',
      (j: Buffer) => {
        const out = Buffer.from(j);
        out.writeUInt16BE(out.readUInt16BE(4) + 1, 4);
        return out;
      },
    ],
    [
      'a segment length that runs past the end of the file',
      (j: Buffer) => Buffer.concat([j.subarray(0, 4), Buffer.from([0xff, 0xf0]), j.subarray(6)]),
    ],
    [
      'a PNG signature after the SOI',
      (j: Buffer) =>
        Buffer.concat([j.subarray(0, 2), Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), j.subarray(2)]),
    ],
  ])('refuses a JPEG with InvalidImageError when its segments are broken: %s', async (_name, damage) => {
    // Prepare
    const jpeg = damage(await baseline());

    // Act
    const act = () => parseJpegLayout(jpeg);

    // Assess
    expect(act).toThrow(InvalidImageError);
    expect(act).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE', statusCode: 422 }));
  });
});

describe('isCleanJpeg', () => {
  it.each(CLEAN)('reports a %s clean', async (_name, make) => {
    // Prepare
    const jpeg = await make();

    // Act
    const clean = isCleanJpeg(jpeg);

    // Assess
    expect(clean).toBe(true);
  });

  it.each(DIRTY)('reports a %s not clean', async (_name, make) => {
    // Prepare
    const { jpeg } = await make();

    // Act
    const clean = isCleanJpeg(jpeg);

    // Assess
    expect(clean).toBe(false);
  });

  // Only Adobe's exact colour-transform record is image data; any other APP14 can carry anything.
  it('reports a JPEG with an APP14 segment that is not Adobe’s not clean', async () => {
    // Prepare
    const jpeg = spliceInto(await baseline(), 2, jpegSegment(APP14, FOREIGN_APP14));

    // Act
    const clean = isCleanJpeg(jpeg);

    // Assess
    expect(clean).toBe(false);
  });

  it.each(DIRTY)('reports the stripped %s clean', async (_name, make) => {
    // Prepare
    const { jpeg } = await make();

    // Act
    const clean = isCleanJpeg(stripJpegMetadata(jpeg));

    // Assess
    expect(clean).toBe(true);
  });
});

describe('stripJpegMetadata', () => {
  it.each(DIRTY)('keeps the decoded pixels of a %s', async (_name, make) => {
    // Prepare
    const { jpeg } = await make();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect((await pixelsOf(stripped)).equals(await pixelsOf(jpeg))).toBe(true);
  });

  it.each(DIRTY)('keeps the last scan of a %s byte for byte, from its SOS to EOI', async (_name, make) => {
    // Prepare
    const { jpeg } = await make();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(lastScanThroughEoi(stripped).equals(lastScanThroughEoi(jpeg))).toBe(true);
  });

  it.each(DIRTY)('leaves no trace of what a %s carried, and nothing after its EOI', async (_name, make) => {
    // Prepare
    const { jpeg, trace } = await make();
    expect(jpeg.includes(trace, 0, 'latin1')).toBe(true);

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.includes(trace, 0, 'latin1')).toBe(false);
    expect(stripped.subarray(-2)).toEqual(Buffer.from([0xff, EOI]));
    expect(parseJpegLayout(stripped).imageEnd).toBe(stripped.length);
  });

  it.each(WITH_CLEAN_ORIGINAL)('gives back exactly the JPEG a %s was made from', async (_name, make) => {
    // Prepare
    const { jpeg, clean } = await make();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.equals(clean!)).toBe(true);
  });

  it.each([
    ['EXIF with GPS', () => gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer(), ['exif']],
    ['EXIF and ICC', () => gradient().jpeg().withMetadata().toBuffer(), ['exif', 'icc']],
    ['a Display P3 ICC profile', () => gradient().jpeg().withIccProfile('p3').toBuffer(), ['icc']],
    ['XMP', () => gradient().jpeg().withXmp(XMP).toBuffer(), ['xmp']],
    [
      'EXIF, ICC and XMP, progressive',
      () => gradient().jpeg({ progressive: true }).withMetadata().withXmp(XMP).toBuffer(),
      ['exif', 'icc', 'xmp'],
    ],
  ] as const)('removes %s so that sharp reads none', async (_name, make, fields) => {
    // Prepare
    const jpeg = await make();
    const before = await sharp(jpeg).metadata();
    for (const field of fields) expect(before[field]).toBeDefined();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    const after = await sharp(stripped).metadata();
    expect({
      exif: after.exif,
      icc: after.icc,
      xmp: after.xmp,
      iptc: after.iptc,
      hasProfile: after.hasProfile,
    }).toEqual({
      exif: undefined,
      icc: undefined,
      xmp: undefined,
      iptc: undefined,
      hasProfile: false,
    });
    expect({ width: after.width, height: after.height, isProgressive: after.isProgressive }).toEqual({
      width: before.width,
      height: before.height,
      isProgressive: before.isProgressive,
    });
  });

  it('keeps every scan of a progressive JPEG byte for byte', async () => {
    // Prepare
    const jpeg = await gradient().jpeg({ progressive: true }).withMetadata().withXmp(XMP).toBuffer();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(allScansThroughEoi(stripped).equals(allScansThroughEoi(jpeg))).toBe(true);
  });

  it('keeps the Adobe APP14 segment, which says how to read the colour channels', async () => {
    // Prepare
    const jpeg = await cmyk().withExif({ IFD0: CAMERA }).toBuffer();
    expect(markersOf(jpeg)).toContain(APP14);

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(markersOf(stripped)).toContain(APP14);
    expect(stripped.includes('Adobe', 0, 'latin1')).toBe(true);
    expect(await sharp(stripped).metadata()).toMatchObject({ space: 'cmyk', channels: 4 });
    expect((await pixelsOf(stripped)).equals(await pixelsOf(jpeg))).toBe(true);
  });

  // A non-Adobe APP14 (here carrying a position and a script) is metadata: it goes.
  it('removes an APP14 segment that is not Adobe’s, with what it carries', async () => {
    // Prepare
    const clean = await baseline();
    const jpeg = spliceInto(clean, 2, jpegSegment(APP14, FOREIGN_APP14));

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.includes('<script>', 0, 'latin1')).toBe(false);
    expect(stripped.equals(clean)).toBe(true);
  });

  it.each(CLEAN)('leaves a clean %s byte for byte', async (_name, make) => {
    // Prepare
    const jpeg = await make();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.equals(jpeg)).toBe(true);
  });

  it('drops fill bytes, which carry nothing', async () => {
    // Prepare
    const image = await baseline();
    const jpeg = spliceInto(image, 2, Buffer.from([0xff, 0xff, 0xff]));

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.equals(image)).toBe(true);
  });

  it('refuses a truncated JPEG rather than serve what is left of it', async () => {
    // Prepare
    const jpeg = await gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer();
    const truncated = jpeg.subarray(0, jpeg.length - 40);

    // Act
    const act = () => stripJpegMetadata(truncated);

    // Assess
    expect(act).toThrow(InvalidImageError);
  });
});
