import { loadStorageLocation } from '../adapters/config';
import { loadS3ClientSettings } from '../settings/s3-client';
import { createS3Client } from '../adapters/s3-client';
import { composeCheckUpload } from '../capabilities/check-upload.compose';
import { lambdaPlatform } from '../capabilities/lambda-platform';

// Built once per cold start; a bad setting fails here, naming its variable.
const platform = lambdaPlatform();
const storage = loadStorageLocation(process.env);
const s3 = createS3Client(storage, loadS3ClientSettings(process.env));
const { check } = composeCheckUpload(process.env, { ...platform, s3: platform.traced(s3) });

/** Invoked by S3 `ObjectCreated:*` notifications on the `_incoming/` prefix. */
export const handler = platform.traceHandler(check);
