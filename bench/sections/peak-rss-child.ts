import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uploadBody, uploadEvent } from '../support/upload-events';
import { createBenchUploadRoute } from '../support/upload-route';

/**
 * Runs in its own process (see peak-rss.ts): builds the upload route, warms it up on small
 * images, records the RSS high-water mark, then handles one 4.4 MB upload and reports the new
 * high-water mark. The event body is read from disk after the baseline: the runtime hands it
 * to the handler, so it is part of what a request costs.
 */
const fixtures = process.env.BENCH_FIXTURES!;
const maxRssBytes = () => process.resourceUsage().maxRSS * 1024;
const context = { awsRequestId: 'bench-request' };

const { route } = createBenchUploadRoute();
const small = readFileSync(join(fixtures, 'upload-100k.png'));
for (let i = 0; i < 50; i++) {
  const result = await route(uploadEvent(uploadBody(small, 'png')), context);
  if (result.statusCode !== 201) throw new Error(`warm-up answered ${result.statusCode}`);
}
globalThis.gc?.();
const baseline = maxRssBytes();

const imageFile = join(fixtures, 'upload-4m4.jpg');
const imageBytes = readFileSync(imageFile).length;
const event = uploadEvent(readFileSync(join(fixtures, 'upload-4m4.json'), 'latin1'));
globalThis.gc?.();
const beforeHandling = maxRssBytes();
const result = await route(event, context);
if (result.statusCode !== 201) throw new Error(`4.4 MB upload answered ${result.statusCode}: ${result.body}`);
const peak = maxRssBytes();
process.send!({ baseline, beforeHandling, peak, imageBytes, eventBytes: event.body!.length });
