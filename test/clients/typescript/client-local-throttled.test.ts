import { describe, expect, it } from 'vitest';
import type { TappedAnswer } from '../../../infra/local/answer-tap';
import { ImageProxyClient, ThrottledError } from '../../../clients/typescript/src/index.ts';
import { KEY, sha256 } from '../../support/client-local';
import { useLocalServer } from '../../support/file-server';
import { makeNoisyPng } from '../../support/image-fixtures';

describe('the TypeScript client against a throttled local mode', () => {
  const answers: TappedAnswer[] = [];
  const throttled = useLocalServer(
    'ts-client-throttled',
    { alice: KEY },
    {
      env: { THROTTLE_RATE_PER_SECOND: '2', THROTTLE_BURST: '1' },
      onApiAnswer: (answer) => answers.push(answer),
    },
  );

  it('succeeds after 429s, each retry waiting at least its Retry-After', async () => {
    // Prepare
    const patient = new ImageProxyClient({
      apiUrl: throttled.server.apiUrl,
      apiKey: KEY,
      retry: { maxAttempts: 10 },
    });
    const images = await Promise.all([1, 2, 3, 4].map((i) => makeNoisyPng(2_000, 9_000 + i)));
    const started = performance.now();

    // Act
    const uploaded = await Promise.all(images.map((png) => patient.upload(png)));

    // Assess
    expect(uploaded.map((answer) => answer.sha256)).toEqual(images.map(sha256));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    // Three uploads waited for a token: the last needed at least three Retry-After seconds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(3000);
  });

  it('throws ThrottledError, with Retry-After, once its attempts are spent', async () => {
    // Prepare
    const hasty = new ImageProxyClient({ apiUrl: throttled.server.apiUrl, apiKey: KEY, retry: false });
    await hasty
      .list()
      .next()
      .catch(() => undefined);

    // Act
    const results = await Promise.allSettled([1, 2, 3].map(() => hasty.list().next()));

    // Assess
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const err of refused) expect(err).toBeInstanceOf(ThrottledError);
    expect(refused[0].retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});
