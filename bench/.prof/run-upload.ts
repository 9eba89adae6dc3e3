import { readFileSync } from 'node:fs';
import { uploadBody, uploadEvent } from '../support/upload-events';
import { createBenchUploadRoute } from '../support/upload-route';
const size = process.env.SIZE ?? '100k';
const { route } = createBenchUploadRoute();
const image = readFileSync(`/tmp/prof/img-${size}.png`);
const event = uploadEvent(uploadBody(image, 'png'));
const n = Number(process.env.N ?? 2000);
for (let i = 0; i < n; i++) await route(event, { awsRequestId: 'x' });
