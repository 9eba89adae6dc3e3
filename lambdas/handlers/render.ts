import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { loadStorageLocation } from '../adapters/config';
import { loadS3ClientSettings } from '../settings/s3-client';
import { createS3Client } from '../adapters/s3-client';
import { lambdaPlatform } from '../capabilities/lambda-platform';
import { composeRender } from '../capabilities/render.compose';

// Built once per cold start; a bad setting fails here, naming its variable.
const platform = lambdaPlatform();
const storage = loadStorageLocation(process.env);
const s3 = createS3Client(storage, loadS3ClientSettings(process.env));
const { render } = composeRender(process.env, { ...platform, s3: platform.traced(s3) });

/**
 * CloudFront's second origin. Its function URL streams (`InvokeMode: RESPONSE_STREAM`), so a
 * rendition is not held to the 6 MB cap of a buffered Lambda response. `awslambda` is the Lambda
 * Node.js runtime's global.
 */
export const handler = awslambda.streamifyResponse(
  platform.traceHandler(
    async (event: LambdaFunctionURLEvent, responseStream: awslambda.HttpResponseStream) => {
      const { method } = event.requestContext.http;
      const answer = await render({ method, path: event.rawPath, requestId: event.requestContext.requestId });
      const { status: statusCode, headers } = answer;
      const body = awslambda.HttpResponseStream.from(responseStream, { statusCode, headers });
      await pipeline(Readable.from(answer.body.length > 0 ? [answer.body] : []), body);
    },
  ),
);
