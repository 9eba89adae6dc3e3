import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emfData, parseEmfLines, plainTextLines, valuesOf } from '../support/emf';
import { makeNoisyPng } from '../support/image-fixtures';
import { captureLogs } from '../support/log-capture';
import { useLocalServer } from '../support/file-server';

const API_KEY = 'ops-signals-key';

// Local mode builds its logger and metrics at start: what ops would read on Lambda, to stdout.
beforeAll(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const local = useLocalServer(
  'ops-signals',
  { alice: API_KEY },
  {
    env: {
      S3_CONNECT_TIMEOUT_MS: '500',
      S3_REQUEST_TIMEOUT_MS: '800',
      S3_MAX_ATTEMPTS: '2',
      POWERTOOLS_SERVICE_NAME: 'ops-test',
    },
    s3FaultProxy: true,
  },
);

const upload = (bytes: Buffer) =>
  fetch(`${local.server.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'image/png' },
    body: bytes,
  });

/** The JSON log lines (not EMF) of captured output. */
const logLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{') && !line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, any>);

describe('what ops see of a storage fault in local mode', () => {
  it.each([
    ['internal-error', 500, 502, 'server-error'],
    ['slowdown', 503, 503, 'throttled'],
  ] as const)(
    'S3 %s: the 5xx log line names the S3 status and request id, and an EMF metric counts the fault',
    async (mode, s3Status, status, fault) => {
      // Prepare
      const image = await makeNoisyPng(5_000, s3Status);
      local.proxy.clear();
      local.proxy.inject(mode, { method: 'PUT' });
      const capture = captureLogs();

      // Act
      let answer: Response;
      try {
        answer = await upload(image);
        await answer.arrayBuffer();
      } finally {
        capture.stop();
      }
      const s3RequestIds = local.proxy.log.map((entry) => entry.s3RequestId).filter(Boolean);
      local.proxy.clear();
      const text = capture.text();

      // Assess
      expect(answer.status).toBe(status);
      const requestId = answer.headers.get('x-amzn-requestid');
      const failed = logLines(text).find((line) => line.message === 'request failed');
      expect(failed).toMatchObject({
        requestId,
        function_request_id: requestId,
        cold_start: expect.any(Boolean),
        statusCode: status,
        error: 'STORAGE_UNAVAILABLE',
        cause: { httpStatus: s3Status, fault },
      });
      // The id of the last attempt, as S3 sent it in x-amz-request-id.
      expect(s3RequestIds).toContain(failed!.cause.requestId);
      const data = emfData(parseEmfLines(text));
      expect(valuesOf(data, 'StorageFaults', { function: 'upload', fault })).toEqual([1]);
      expect(valuesOf(data, 'ServerErrors', { route: 'upload', client: 'alice' })).toEqual([1]);
      expect(data.every((datum) => datum.dimensionSets.every((set) => set.service === 'ops-test'))).toBe(
        true,
      );
    },
  );

  it('a refused upload (4xx) prints its refusal as EMF and no plain-text line', async () => {
    // Prepare
    const capture = captureLogs();

    // Act
    let answer: Response;
    try {
      answer = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
      await answer.arrayBuffer();
    } finally {
      capture.stop();
    }
    const text = capture.text();

    // Assess
    expect(answer.status).toBe(415);
    expect(
      valuesOf(emfData(parseEmfLines(text)), 'Refusals', {
        function: 'upload',
        errorCode: 'UNSUPPORTED_MEDIA_TYPE',
      }),
    ).toEqual([1]);
    expect(plainTextLines(text)).toEqual([]);
  });

  it('a served upload prints its metrics on stdout too, one EMF line per invocation', async () => {
    // Prepare
    const image = await makeNoisyPng(5_000, 7);
    const capture = captureLogs();

    // Act
    let answer: Response;
    try {
      answer = await upload(image);
      await answer.arrayBuffer();
    } finally {
      capture.stop();
    }
    const lines = parseEmfLines(capture.text());

    // Assess
    expect(answer.status).toBe(201);
    expect(lines).toHaveLength(1);
    expect(valuesOf(emfData(lines), 'UploadBytes', { route: 'upload', client: 'alice' })).toEqual([
      image.length,
    ]);
  });
});
