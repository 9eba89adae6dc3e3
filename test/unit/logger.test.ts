import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../lambdas/adapters/logger';
import { captureLogs } from '../support/log-capture';

afterEach(() => vi.unstubAllEnvs());

/** The JSON lines a logger made by `createLogger(env)` writes for one info message. */
function linesLoggedWith(env: Record<string, string>): Array<Record<string, unknown>> {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO'); // the test setup silences logs
  const capture = captureLogs();
  try {
    createLogger(env).info('hello');
  } finally {
    capture.stop();
  }
  return capture
    .text()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('the logger', () => {
  it.each([
    [
      'the stack name in POWERTOOLS_SERVICE_NAME',
      { POWERTOOLS_SERVICE_NAME: 'S3ImageProxy' },
      'S3ImageProxy',
    ],
    ['the default when it is unset, as metrics and traces', {}, 's3-image-proxy'],
    ['the default when it is blank', { POWERTOOLS_SERVICE_NAME: '  ' }, 's3-image-proxy'],
  ])('logs under %s', (_, env, service) => {
    // Act
    const lines = linesLoggedWith(env);

    // Assess
    expect(lines).toEqual([expect.objectContaining({ message: 'hello', service })]);
  });
});
