import { loadCommonConfig, loadPresignSettings } from '../adapters/config';
import { createLogger } from '../adapters/logger';
import { createS3Client } from '../adapters/s3-client';
import { S3UrlSigner } from '../adapters/url-signer';
import { createPresignRoute } from '../routes/presign';

// Built once per cold start; a bad setting fails here, naming its variable.
const config = loadCommonConfig(process.env);
const s3 = createS3Client(config.storage);

// Signs with the function role's credentials (no S3 call is made): the role needs
// s3:PutObject on _incoming/* and s3:GetObject on the client namespaces for the URLs to work.
export const handler = createPresignRoute({
  signer: new S3UrlSigner({
    credentials: s3.config.credentials,
    region: config.storage.region,
    bucketName: config.storage.bucketName,
    endpoint: config.storage.s3Endpoint,
  }),
  clientsByKeyId: config.clientsByKeyId,
  publicBaseUrl: config.storage.publicBaseUrl,
  settings: loadPresignSettings(process.env),
  logger: createLogger(),
});
