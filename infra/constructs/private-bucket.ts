import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of the stack has: no public access whatever a policy or ACL says, plain HTTP
 * and TLS below 1.2 refused, encrypted at rest (SSE-S3). Spread into a bucket's props.
 */
export const PRIVATE_BUCKET = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
} as const satisfies s3.BucketProps;
