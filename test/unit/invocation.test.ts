import { describe, expect, it } from 'vitest';
import { countFailureCause, type ErrorAnswers, withInvocation } from '../../lambdas/adapters/invocation';
import { createLogger } from '../../lambdas/adapters/logger';
import { StorageUnavailableError } from '../../lambdas/core/errors';
import { emfData, parseEmfLines, printingMetrics, valuesOf } from '../support/emf';
import { captureLogs } from '../support/log-capture';

/** Runs `act` and returns the EMF data points and the log text it printed. */
async function measured(act: () => Promise<unknown>) {
  const capture = captureLogs();
  try {
    await act();
  } finally {
    capture.stop();
  }
  const logs = capture.text();
  return { data: emfData(parseEmfLines(logs)), logs };
}

/** A failure answered as its status; the cold-start flag it saw is kept in the answer. */
const STATUS_ANSWERS: ErrorAnswers<string, { status: number; cold?: boolean }> = {
  answer: (_err, failure) => ({ status: 503, cold: failure.coldStart }),
  statusOf: (answer) => answer.status,
};

/** A failure rethrown, as for S3 events: counted by its cause, then thrown again. */
const RETHROWN: ErrorAnswers<string, string, string | undefined> = {
  answer: (err, failure) => {
    countFailureCause(err, failure.measure);
    throw err;
  },
};

function wrap<Answer, Id extends string | undefined>(
  errors: ErrorAnswers<string, Answer, Id>,
  requestIdOf: (input: string) => Id,
  body: (input: string) => Promise<Answer>,
) {
  const options = { logger: createLogger(), metrics: printingMetrics('upload'), route: 'upload' } as const;
  return withInvocation(options, errors, requestIdOf, (input) => body(input));
}

describe('the invocation wrapper', () => {
  it('counts each request once and a 5xx answer as a server error', async () => {
    // Prepare
    const invoke = wrap(
      STATUS_ANSWERS,
      () => 'req-1',
      async (input) => ({ status: input === 'fail' ? 500 : 200 }),
    );

    // Act
    const { data, logs } = await measured(async () => {
      await invoke('ok', undefined);
      await invoke('fail', undefined);
    });

    // Assess
    expect(valuesOf(data, 'Requests', { function: 'upload' })).toEqual([1, 1]);
    expect(valuesOf(data, 'ServerErrors', { function: 'upload' })).toEqual([1]);
    expect(logs).toContain('"requestId":"req-1"');
  });

  it('answers what the body threw through its error answers, cold only on the first invocation', async () => {
    // Prepare
    const invoke = wrap(
      STATUS_ANSWERS,
      () => 'req-2',
      async () => {
        throw new Error('boom');
      },
    );

    // Act
    const answers: unknown[] = [];
    await measured(async () => {
      answers.push(await invoke('a', undefined), await invoke('b', undefined));
    });

    // Assess
    expect(answers).toEqual([
      { status: 503, cold: true },
      { status: 503, cold: false },
    ]);
  });

  it('still publishes the metrics of a failure its error answers rethrow, without counting a request', async () => {
    // Prepare
    const invoke = wrap(
      RETHROWN,
      () => undefined,
      async () => {
        throw new StorageUnavailableError(503, 1);
      },
    );

    // Act
    const { data, logs } = await measured(() =>
      expect(invoke('record', undefined)).rejects.toThrow(StorageUnavailableError),
    );

    // Assess
    for (const line of parseEmfLines(logs)) expect(line).not.toHaveProperty('requestId');
    expect(valuesOf(data, 'StorageFaults', { function: 'upload', fault: 'other' })).toEqual([1]);
    expect(data.map((datum) => datum.name)).not.toContain('Requests');
  });
});
