import { Tracer } from '@aws-lambda-powertools/tracer';
import { serviceNameOf } from './metrics';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The one Powertools Tracer of a process. It records only on Lambda with active tracing
 * (`-c tracing=true` sets `POWERTOOLS_TRACE_ENABLED=true` next to it); elsewhere, local mode and
 * tests included, every call below is a no-op.
 */
export function createTracer(env: Env = process.env): Tracer {
  return new Tracer({ serviceName: serviceNameOf(env) });
}

/** Records each call of an AWS SDK v3 client as a subsegment (S3, DynamoDB, CloudFront), when tracing. */
export function traceClient<T>(tracer: Tracer, client: T): T {
  return tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client;
}

/**
 * Wraps a Lambda handler in a `## handler` subsegment annotated with the cold start and the
 * service, with a thrown error as its metadata, when tracing; otherwise returns it unchanged.
 */
export function withTracing<A extends unknown[], R>(
  tracer: Tracer,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  if (!tracer.isTracingEnabled()) return handler;
  return async (...args: A) => {
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment('## handler');
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handler(...args);
    } catch (err) {
      tracer.addErrorAsMetadata(err as Error);
      throw err;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
    }
  };
}
