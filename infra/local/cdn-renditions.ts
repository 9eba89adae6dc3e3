import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';
import { ENV } from '../../lambdas/adapters/env-names';
import { composeRender } from '../../lambdas/capabilities/render.compose';
import { loadLargestUploadBytes } from '../../lambdas/settings/upload-limits';
import { CDN_RENDITION_PREFIX } from '../../lambdas/core/cdn-rendition';
import { isServableKey } from '../../lambdas/core/object-namespace';
import { edgeEventOf, loadEdgeHandler, renditionEdgeCode } from '../edge/rendition-edge';
import { CDN_RENDITION_VARY, CDN_SECURITY_HEADERS, gatewayErrorBody } from '../edge-contract';
import { serveFromCdn } from './cdn-stand-in';
import { decodeCdnKey } from './request-path';

type Env = Readonly<Record<string, string | undefined>>;

/** One viewer request to the CDN stand-in: the path after its prefix, with its raw query. */
export interface ViewerRequest {
  readonly method: string;
  /** `/alice/<sha>.jpg`, still percent-encoded. */
  readonly uri: string;
  /** Everything after `?`, still percent-encoded; '' when none. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
}

/** CloudFront in front of the bucket, as deployed: the edge function, then S3, then the rendering function. */
export interface LocalCdn {
  serve(request: ViewerRequest, res: ServerResponse): Promise<void>;
  /** Renditions the rendering function has made (a miss in storage); a hit never counts. */
  renditionsMade(): number;
}

// The origin reads renditions under `_renditions/` (the bucket policy allows CloudFront that
// prefix) and the public keys; never the other private prefixes.
const servableByOrigin = (key: string) => isServableKey(key) || key.startsWith(CDN_RENDITION_PREFIX);

/**
 * The stand-in of the deployed CDN path: the same CloudFront Function source (run in a bare VM
 * context), the same origin order (the stored object first; on a miss the rendering function's
 * route) and the same answers, so `?w=800&format=webp` behaves here as it does on AWS.
 */
export function createLocalCdn(env: Env, s3: S3Client, bucketName: string, metrics: Metrics): LocalCdn {
  const bounds = loadRenditionBounds(env);
  const edge = loadEdgeHandler(renditionEdgeCode(bounds));
  // The rendering function as its composition builds it, over local mode's plain S3 client, and
  // with its source cap as the stack writes it: the largest upload any route accepts.
  const renderEnv = { ...env, [ENV.maxDirectUploadBytes]: String(loadLargestUploadBytes(env)) };
  const { render } = composeRender(renderEnv, { s3, metrics, traced: (client) => client });
  let made = 0;

  async function serve(request: ViewerRequest, res: ServerResponse): Promise<void> {
    const { method, requestId } = request;
    const edgeHeaders = { ...CDN_SECURITY_HEADERS, ...CDN_RENDITION_VARY, 'x-amz-cf-id': requestId };
    const accept = [request.headers.accept].flat().join(',') || undefined;
    const outcome = edge(
      edgeEventOf({ method, uri: request.uri, rawQuery: request.rawQuery, accept, requestId }),
    );
    if ('statusCode' in outcome) {
      const headers = Object.fromEntries(
        Object.entries(outcome.headers ?? {}).map(([name, h]) => [name, h.value]),
      );
      const body = method === 'HEAD' ? '' : (outcome.body?.data ?? '');
      res.writeHead(outcome.statusCode, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
      return void res.end(body);
    }
    const key = decodeCdnKey(outcome.uri.slice(1));
    if (key === undefined) {
      res.writeHead(400, { ...edgeHeaders, 'content-type': 'application/json; charset=utf-8' });
      return void res.end(
        method === 'HEAD' ? '' : gatewayErrorBody('BAD_REQUEST', 'malformed path', requestId),
      );
    }
    // The origin group's fallback when storage has no such key (any other storage failure is
    // the first origin's 502): the rendering function, reached with the rewritten URI.
    const onMissing = async () => {
      const answer = await render({ method, path: outcome.uri, requestId });
      if (answer.status === 200) made++;
      res.writeHead(answer.status, { ...edgeHeaders, ...answer.headers });
      res.end(method === 'HEAD' ? undefined : answer.body);
    };
    if (key !== '' && !servableByOrigin(key)) return onMissing();
    return serveFromCdn(
      { s3, bucketName, isServable: servableByOrigin, onMissing, responseHeaders: CDN_RENDITION_VARY },
      { method, key, headers: request.headers, requestId },
      res,
    );
  }

  return { serve, renditionsMade: () => made };
}
