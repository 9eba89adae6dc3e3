import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../../lambdas/core/limits';
import { MODEL_PROFILES } from '../../lambdas/core/model-profiles';
import { DEFAULT_QUALITY, DEFAULT_RENDITION_MAX_EDGE_PX } from '../../lambdas/core/cdn-rendition';
import { renderForProfile, type RenderResult } from '../../lambdas/imaging/render-image';
import { renderResized, type ResizeSpec } from '../../lambdas/imaging/render-resized';
import { compareCpu, compareCpuWithPeer } from '../support/measure';
import { DEBIAN_PYTHON, encodeHeic, startPillowPeer } from '../support/peers';
import { phoneJpeg, photoOfSize } from '../support/photos';
import { format, skippedRow, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * The image pipeline (`renderForProfile`) on phone-sized photos, CPU per image:
 * - a 12 MP phone JPEG (EXIF Orientation 6, GPS) to `universal`, against a bare sharp resize
 *   of the same file to the same size (floor) and against Pillow doing the whole job (peer);
 * - the lossless metadata strip of a 3 MB upright JPEG (`original`), against copy + SHA-256;
 * - a 12 MP HEIC to `universal`, against the 12 MP JPEG (reference);
 * - renditions made at the CDN's request (`renderResized`) of the 12 MP phone JPEG, against a
 *   bare sharp pipeline of the same file to the same output.
 * One libvips thread on every side: the rows compare work, not parallelism.
 */
sharp.concurrency(1);

const fixtures = process.env.BENCH_FIXTURES!;
const maxPixels = DEFAULT_MAX_IMAGE_PIXELS;
const { universal, original } = MODEL_PROFILES;
const PILLOW_ROUNDS = 7;

// One set of photo-like pixels, 4032×3024 (a 12 MP phone camera), JPEG q90 ≈ 3 MB.
const photo = await photoOfSize(4032, 3024, 3_000_000);
const uprightJpeg = photo.jpeg;
const sidewaysJpeg = await phoneJpeg(photo.pixels, 6);
const sidewaysPath = join(fixtures, 'phone-12mp-orientation6.jpg');
const uprightPath = join(fixtures, 'phone-12mp-upright.jpg');
writeFileSync(sidewaysPath, sidewaysJpeg);
writeFileSync(uprightPath, uprightJpeg);

/** Throws unless the rendition is what a consumer must get: size, type, no EXIF left. */
async function expectRendition(
  result: RenderResult,
  expected: { method: string; width: number; height: number },
): Promise<void> {
  const { rendition } = result;
  const seen = await sharp(rendition.bytes).metadata();
  const ok =
    rendition.method === expected.method &&
    seen.width === expected.width &&
    seen.height === expected.height &&
    seen.exif === undefined &&
    (seen.orientation ?? 1) === 1;
  if (!ok) {
    throw new Error(
      `expected a ${expected.method} ${expected.width}×${expected.height} rendition without EXIF, got ` +
        `${rendition.method} ${seen.width}×${seen.height}${seen.exif ? ' with EXIF' : ''}`,
    );
  }
}

const rows: BenchRow[] = [];
const phoneLabel = '12 MP phone JPEG → universal';

// --- 12 MP phone JPEG → universal, against a bare sharp resize --------------------------------
const renderPhone = () => renderForProfile(sidewaysJpeg, 'jpeg', universal, maxPixels);
const phone = await renderPhone();
// Upright 3024×4032; the profile's token budget picks the size.
const { width: outWidth, height: outHeight } = phone.rendition;
await expectRendition(phone, { method: 'rendered', width: outWidth, height: outHeight });
if (outWidth >= outHeight)
  throw new Error(`the sideways photo came out ${outWidth}×${outHeight}, not upright`);

// The floor resizes the stored (sideways) pixels to the same pixel count: the same decode,
// shrink-on-load, lanczos3 and encode at the same quality, with no orientation or metadata work.
const bareResize = () =>
  sharp(sidewaysJpeg).resize(outHeight, outWidth, { fit: 'fill' }).jpeg({ quality: 85 }).toBuffer();
const bare = await sharp(await bareResize()).metadata();
if (bare.width !== outHeight || bare.height !== outWidth)
  throw new Error(`bare resize gave ${bare.width}×${bare.height}`);

const jpegCpu = await compareCpu(renderPhone, bareResize, { batches: 11 });
rows.push({
  section: 'imaging CPU/image',
  name: `${phoneLabel} (${(sidewaysJpeg.length / 1e6).toFixed(1)} MB, Orientation 6, GPS)`,
  value: format.micros(jpegCpu.subjectMicros),
  floor: format.micros(jpegCpu.floorMicros),
  ratio: jpegCpu.subjectMicros / jpegCpu.floorMicros,
  target: { op: '<=', limit: 1.15 },
  note:
    `to ${outWidth}×${outHeight} JPEG q85; floor: sharp(file).resize(${outHeight}, ${outWidth}).jpeg({ quality: 85 }) of the same file ` +
    `(same decode, shrink-on-load, lanczos3 and encode; no header read, orientation, colour or metadata work); ` +
    `sharp.concurrency(1) on both sides and process CPU time, so the ratio compares work, not parallelism`,
});

// --- the same job done by Pillow --------------------------------------------------------------
const pillowName = `${phoneLabel}, vs Pillow`;
const pillowTarget = { op: '<=', limit: 0.6 } as const;
const outSize = { width: outWidth, height: outHeight };
const pillow = await startPillowPeer(sidewaysPath, outSize);
if (pillow.ok) {
  const plain = pillow.value;
  const draft = await startPillowPeer(sidewaysPath, outSize, { draft: true });
  try {
    const vsPlain = await compareCpuWithPeer(renderPhone, () => plain.renderOnce(), PILLOW_ROUNDS);
    const peerNote = `Pillow ${plain.version} (${DEBIAN_PYTHON}, bench/pillow-render.py)`;
    rows.push({
      section: 'imaging CPU/image',
      name: pillowName,
      value: format.micros(vsPlain.subjectMicros),
      floor: format.micros(vsPlain.peerMicros),
      ratio: vsPlain.subjectMicros / vsPlain.peerMicros,
      target: pillowTarget,
      note:
        `peer: ${peerNote}: open, exif_transpose, convert RGB, resize LANCZOS, save JPEG q85 without EXIF, ` +
        `same file and output size; its own time.process_time; ${PILLOW_ROUNDS} rounds of one image each, interleaved with the pipeline's, medians`,
    });
    if (draft.ok) {
      const vsDraft = await compareCpuWithPeer(renderPhone, () => draft.value.renderOnce(), PILLOW_ROUNDS);
      rows.push({
        section: 'imaging CPU/image',
        name: `${phoneLabel}, vs Pillow with draft()`,
        value: format.micros(vsDraft.subjectMicros),
        floor: format.micros(vsDraft.peerMicros),
        ratio: vsDraft.subjectMicros / vsDraft.peerMicros,
        note: `reference: the same ${peerNote} job with Image.draft() first, so libjpeg decodes at a reduced scale (Pillow's shrink-on-load, as Image.thumbnail does)`,
      });
    }
  } finally {
    plain.close();
    if (draft.ok) draft.value.close();
  }
} else {
  rows.push(
    skippedRow({ section: 'imaging CPU/image', name: pillowName, target: pillowTarget }, pillow.reason),
  );
}

// --- lossless metadata strip of a 3 MB JPEG, against copy + hash -------------------------------
const stripOriginal = () => renderForProfile(uprightJpeg, 'jpeg', original, maxPixels);
const stripped = await stripOriginal();
await expectRendition(stripped, { method: 'metadata-stripped', width: 4032, height: 3024 });
let sink = 0;
const copyAndHash = () => {
  const copy = Buffer.from(uprightJpeg);
  sink ^= createHash('sha256').update(copy).digest()[0]!;
};
const stripCpu = await compareCpu(stripOriginal, copyAndHash, { batchMicros: 40_000 });
rows.push({
  section: 'imaging CPU/image',
  name: `${(uprightJpeg.length / 1e6).toFixed(1)} MB JPEG → original, lossless metadata strip`,
  value: format.micros(stripCpu.subjectMicros),
  floor: format.micros(stripCpu.floorMicros),
  ratio: stripCpu.subjectMicros / stripCpu.floorMicros,
  target: { op: '<=', limit: 1.5 },
  note:
    `upright 4032×3024 with EXIF (camera, GPS), no ICC: rendition.method 'metadata-stripped', ` +
    `${uprightJpeg.length - stripped.rendition.bytes.length} bytes removed; floor: Buffer.from(bytes) + SHA-256 of them`,
});

// --- 12 MP HEIC → universal, against the 12 MP JPEG -------------------------------------------
const heicName = '12 MP HEIC → universal (4032×3024, x265)';
const heicPath = join(fixtures, 'phone-12mp.heic');
// From the upright JPEG, so the HEIC carries the same EXIF (camera, GPS).
const heic = encodeHeic(uprightPath, heicPath);
if (heic.ok) {
  const heicBytes = readFileSync(heicPath);
  const renderHeic = () => renderForProfile(heicBytes, 'heic', universal, maxPixels);
  const first = await renderHeic();
  await expectRendition(first, { method: 'rendered', width: outHeight, height: outWidth });
  const heicCpu = await compareCpu(renderHeic, renderPhone, { callsPerBatch: 1, batches: 3 });
  rows.push({
    section: 'imaging CPU/image',
    name: heicName,
    value: format.micros(heicCpu.subjectMicros),
    floor: format.micros(heicCpu.floorMicros),
    ratio: heicCpu.subjectMicros / heicCpu.floorMicros,
    note:
      `reference (design: ≈1 s per 12 MP on one core); ${(heicBytes.length / 1e6).toFixed(1)} MB, heif-enc -q 50 (one HEVC image, ` +
      `not a phone's 512² tile grid), decoded by heic-decode (libheif in WebAssembly); floor: the 12 MP phone JPEG row's pipeline, ` +
      `interleaved, median of ${heicCpu.batches} each`,
  });
} else {
  rows.push(skippedRow({ section: 'imaging CPU/image', name: heicName }, heic.reason));
}

// --- renditions at the CDN: 12 MP phone JPEG → w=800 webp, → w=256,h=256 cover jpeg -----------
// Upright, the photo is 3024×4032: 800 wide is 800×1067.
const cdnRenditions: ReadonlyArray<{
  label: string;
  spec: ResizeSpec;
  expected: { width: number; height: number };
  bare: () => Promise<Buffer>;
}> = [
  {
    label: 'w=800 webp',
    spec: { kind: 'resize', width: 800, fit: 'inside', format: 'webp' },
    expected: { width: 800, height: 1067 },
    bare: () => sharp(sidewaysJpeg).rotate().resize(800).webp({ quality: DEFAULT_QUALITY.webp }).toBuffer(),
  },
  {
    label: 'w=256,h=256 cover jpeg',
    spec: { kind: 'resize', width: 256, height: 256, fit: 'cover', format: 'jpeg' },
    expected: { width: 256, height: 256 },
    bare: () =>
      sharp(sidewaysJpeg)
        .rotate()
        .resize(256, 256, { fit: 'cover' })
        .jpeg({ quality: DEFAULT_QUALITY.jpeg })
        .toBuffer(),
  },
];
for (const { label, spec, expected, bare: barePipeline } of cdnRenditions) {
  const renderCdn = () => renderResized(sidewaysJpeg, 'jpeg', spec, maxPixels, DEFAULT_RENDITION_MAX_EDGE_PX);
  const made = await renderCdn();
  const [seen, floorSeen] = await Promise.all([
    sharp(made.bytes).metadata(),
    sharp(await barePipeline()).metadata(),
  ]);
  if (
    seen.width !== expected.width ||
    seen.height !== expected.height ||
    floorSeen.width !== expected.width ||
    floorSeen.height !== expected.height ||
    seen.format !== floorSeen.format ||
    seen.exif !== undefined
  ) {
    throw new Error(
      `rendition ${label}: ${seen.format} ${seen.width}×${seen.height}${seen.exif ? ' with EXIF' : ''}, ` +
        `floor ${floorSeen.format} ${floorSeen.width}×${floorSeen.height}`,
    );
  }
  const cpu = await compareCpu(renderCdn, barePipeline, { batches: 11 });
  rows.push({
    section: 'rendition CPU/image',
    name: `12 MP phone JPEG → ${label}`,
    value: format.micros(cpu.subjectMicros),
    floor: format.micros(cpu.floorMicros),
    ratio: cpu.subjectMicros / cpu.floorMicros,
    target: { op: '<=', limit: 1.15 },
    note:
      `renderResized to ${made.width}×${made.height} ${made.format} (${format.kib(made.bytes.length)}); floor: ` +
      `sharp(file).rotate().resize(…) and the same encoder and quality, of the same ${(sidewaysJpeg.length / 1e6).toFixed(1)} MB ` +
      `file (Orientation 6, GPS); the subject adds the header read under the pixel limit, sRGB and its checks`,
  });
}

if (sink < 0) console.log(sink);
reportRows(rows);
