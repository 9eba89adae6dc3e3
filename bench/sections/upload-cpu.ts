import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { compareCpu } from '../support/measure';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';
import { uploadBody, uploadEvent } from '../support/upload-events';
import { createBenchUploadRoute } from '../support/upload-route';

/**
 * Upload route CPU per request vs the least work the same answer needs: `JSON.parse + base64
 * decode + sha256` of the body, plus — when the route had to render — a bare sharp resize and
 * encode of the same bytes to the same size and format (quality 85, as the pipeline's first
 * attempt). What remains is the route's own cost: header read, container checks, the answer.
 */
const fixtures = process.env.BENCH_FIXTURES!;
const cases = [
  { label: '100 KB PNG', file: 'upload-100k.png', imageType: 'png' },
  { label: '1 MB JPEG', file: 'upload-1m.jpg', imageType: 'jpg' },
  { label: '4 MB PNG', file: 'upload-4m.png', imageType: 'png' },
];

const { route, s3Handler } = createBenchUploadRoute();
const context = { awsRequestId: 'bench-request' };
const rows: BenchRow[] = [];

for (const { label, file, imageType } of cases) {
  const image = readFileSync(join(fixtures, file));
  const body = uploadBody(image, imageType);
  const event = uploadEvent(body);

  const first = await route(event, context);
  // The route stores the rendition and, when that is not the upload itself, the upload under
  // _originals/ (two PutObjects, in either order): the last one carried one of the two.
  const stored =
    first.statusCode === 201 ? [image.length, (JSON.parse(first.body!) as { size: number }).size] : [];
  if (!stored.includes(s3Handler.lastRequest?.bodyBytes ?? -1)) {
    throw new Error(`upload of ${label} answered ${first.statusCode}: ${first.body}`);
  }
  const answer = JSON.parse(first.body!) as {
    method: string;
    width: number;
    height: number;
    contentType: string;
  };
  const rendered = answer.method === 'rendered';
  let sink = 0;
  const floor = async () => {
    const parsed = JSON.parse(body) as { image: string };
    const bytes = Buffer.from(parsed.image, 'base64');
    sink ^= createHash('sha256').update(bytes).digest()[0]!;
    if (rendered) {
      const out = await sharp(bytes)
        .resize(answer.width, answer.height, { fit: 'fill' })
        // PNG takes no quality (with one, sharp quantises to a palette); JPEG at the pipeline's 85.
        .toFormat(
          answer.contentType === 'image/png' ? 'png' : 'jpeg',
          answer.contentType === 'image/png' ? {} : { quality: 85 },
        )
        .toBuffer();
      sink ^= out[0]!;
    }
  };
  const result = await compareCpu(() => route(event, context), floor, { batchMicros: 60_000 });
  rows.push({
    section: 'upload CPU/request',
    name: `${label} (${(image.length / 1000).toFixed(0)} kB, ${answer.method})`,
    value: format.micros(result.subjectMicros),
    floor: format.micros(result.floorMicros),
    ratio: result.subjectMicros / result.floorMicros,
    target: { op: '<=', limit: 1.5 },
  });
  if (sink < 0) console.log(sink);
}
reportRows(rows);
