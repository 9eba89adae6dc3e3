import { judgeContainer } from '../../lambdas/core/container-metadata';
import { compareCpu } from '../support/measure';
import { taggedClip } from '../support/clips';
import { format, skippedRow, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * MP4 clips: the lossless metadata strip (`judgeContainer('mp4', …)`, what publishing runs:
 * rewrite the box tree, move the chunk offsets, copy the media, compare with the upload)
 * against copying the bytes once (as many as the stripped clip has), the least any rewrite of
 * the file costs.
 */
const SECONDS = 60;
const fixtures = process.env.BENCH_FIXTURES!;
const row = {
  section: 'clip strip CPU/clip',
  target: { op: '<=', limit: 3 },
  note:
    `fast start (moov before mdat: every chunk offset moves), tagged by exiftool with Keys GPS, make, model and XMP; ` +
    `floor: Buffer.from(bytes) of as many bytes as the stripped clip has, one copy`,
} as const;

const rows: BenchRow[] = [];
const clip = taggedClip(fixtures, SECONDS);
if (!clip.ok) {
  rows.push(
    skippedRow({ ...row, name: `${SECONDS} s 640×360 H.264 + AAC clip → metadata stripped` }, clip.reason),
  );
} else {
  const upload = clip.value;
  const strip = () => judgeContainer('mp4', upload);
  const verdict = strip();
  if (verdict.kind !== 'strippable' || judgeContainer('mp4', verdict.stripped).kind !== 'clean')
    throw new Error(`expected a strippable clip that is clean once stripped, got ${verdict.kind}`);
  // The floor allocates exactly the size the strip allocates: with one size on both sides the
  // allocator recycles (or faults in) pages for both alike, which a few bytes' difference broke.
  const sameSize = upload.subarray(0, verdict.stripped.length);
  const cpu = await compareCpu(strip, () => Buffer.from(sameSize), { batchMicros: 40_000 });
  rows.push({
    ...row,
    name: `${SECONDS} s 640×360 H.264 + AAC clip (${(upload.length / 1e6).toFixed(1)} MB) → metadata stripped`,
    value: format.micros(cpu.subjectMicros),
    floor: format.micros(cpu.floorMicros),
    ratio: cpu.subjectMicros / cpu.floorMicros,
    note: `${row.note}; ${upload.length - verdict.stripped.length} bytes removed`,
  });
}
reportRows(rows);
