import { loadStorageLocation } from '../adapters/config';
import { loadS3ClientSettings } from '../settings/s3-client';
import { createS3Client } from '../adapters/s3-client';
import { loadSourceFetchSettings } from '../settings/source-fetch';
import { createSourceFetcher } from '../adapters/source-fetcher';
import { lambdaPlatform } from '../capabilities/lambda-platform';
import { composeUpload } from '../capabilities/upload.compose';

// Built once per cold start; a bad setting fails here, naming its variable.
const platform = lambdaPlatform();
const storage = loadStorageLocation(process.env);
const s3 = createS3Client(storage, loadS3ClientSettings(process.env));
const { api } = composeUpload(process.env, {
  ...platform,
  s3: platform.traced(s3),
  // Uploads from a URL: the system resolver and Node's http(s), pinned to the checked addresses.
  sourceFetcher: (env) => createSourceFetcher(loadSourceFetchSettings(env)),
});

/** `POST /uploads`, `POST /` and `POST /renditions`: the routes that render images. */
export const handler = platform.traceHandler(api);
