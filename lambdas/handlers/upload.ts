import { loadCommonConfig, loadS3ClientSettings, loadUploadLimits } from '../adapters/config';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { createS3Client } from '../adapters/s3-client';
import { createUploadImageRoute } from '../routes/upload-image';

// Built once per cold start; a bad setting fails here, naming its variable.
const config = loadCommonConfig(process.env);

export const handler = createUploadImageRoute({
  store: new S3ImageStore(createS3Client(config.storage, loadS3ClientSettings(process.env)), config.storage.bucketName),
  clientsByKeyId: config.clientsByKeyId,
  publicBaseUrl: config.storage.publicBaseUrl,
  limits: loadUploadLimits(process.env),
  logger: createLogger(),
});
