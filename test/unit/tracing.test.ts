import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracer, traceClient, withTracing } from '../../lambdas/adapters/tracing';

const xrayMiddleware = (client: S3Client) =>
  client.middlewareStack.identify().filter((name) => name.startsWith('XRaySDKInstrumentation'));

afterEach(() => vi.unstubAllEnvs());

describe('tracing (Powertools Tracer)', () => {
  it('does nothing outside Lambda or when the stack did not turn it on: same handler, same client', () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    const tracer = createTracer({});
    const handler = async () => 1;
    const client = new S3Client({ region: 'eu-west-1' });

    // Act, Assess
    expect(withTracing(tracer, handler)).toBe(handler);
    expect(traceClient(tracer, client)).toBe(client);
    expect(xrayMiddleware(client)).toEqual([]);
  });

  it('on Lambda with tracing on, records each SDK call and keeps the handler’s answer and errors', async () => {
    // Prepare: the environment Lambda gives a function with active tracing
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'true');
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'upload');
    vi.stubEnv(
      '_X_AMZN_TRACE_ID',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    );
    vi.stubEnv('AWS_XRAY_CONTEXT_MISSING', 'IGNORE_ERROR');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tracer = createTracer({ POWERTOOLS_SERVICE_NAME: 'S3ImageProxy' });

    // Act
    const client = traceClient(tracer, new S3Client({ region: 'eu-west-1' }));
    const answer = await withTracing(tracer, async (x: number) => x + 1)(1);
    const failing = withTracing(tracer, async () => {
      throw new Error('boom');
    })();

    // Assess
    expect(tracer.isTracingEnabled()).toBe(true);
    expect(xrayMiddleware(client)).toHaveLength(1);
    expect(answer).toBe(2);
    await expect(failing).rejects.toThrow('boom');
  });
});
