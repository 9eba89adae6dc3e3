import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../lambdas/adapters/env-names';
import { outputIdOf, type DeployConfig } from './config';
import { ApiClients } from './constructs/api-clients';
import { CapabilityFunction } from './constructs/capability-function';
import { ImageApi } from './constructs/image-api';
import { ImageCdn } from './constructs/image-cdn';
import { ImageStorage } from './constructs/image-storage';
import { UPLOAD_REQUEST_SCHEMA } from './constructs/request-models';

export interface ImageProxyStackProps extends StackProps {
  /** The validated deploy configuration (`readDeployConfig`). */
  readonly config: DeployConfig;
}

/** Everything `cdk deploy` creates: storage, CDN, API, clients and one function per capability. */
export class ImageProxyStack extends Stack {
  constructor(scope: Construct, id: string, props: ImageProxyStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    const storage = new ImageStorage(this, 'Storage', {
      removalPolicy,
      objectExpiration: config.objectExpirationDays === undefined ? undefined : Duration.days(config.objectExpirationDays),
      accessLogRetention: Duration.days(config.logRetentionDays),
    });
    const cdn = new ImageCdn(this, 'Cdn', {
      bucket: storage.bucket,
      logBucket: storage.logBucket,
      priceClass: config.priceClass as cloudfront.PriceClass,
      domainName: config.customDomain?.domainName,
      certificate: config.customDomain && acm.Certificate.fromCertificateArn(this, 'CdnCertificate', config.customDomain.certificateArn),
      webAclArn: config.webAclArn,
      geoAllowlist: config.geoAllowlist,
    });
    const api = new ImageApi(this, 'Api', { accessLogRetention: logRetention, logRemovalPolicy: removalPolicy });
    const clients = new ApiClients(this, 'Clients', {
      api: api.restApi,
      namePrefix: this.stackName,
      clients: config.clients.map((client) => ({
        ...client,
        quota: client.quotaLimit === undefined ? undefined : { limit: client.quotaLimit, period: apigw.Period[client.quotaPeriod] },
      })),
    });

    // What every handler reads at cold start (lambdas/adapters/config.ts, loadCommonConfig).
    const commonEnvironment = {
      [ENV.bucketName]: storage.bucket.bucketName,
      [ENV.publicBaseUrl]: cdn.baseUrl,
      [ENV.clientKeyIds]: clients.clientKeyIds,
    };
    const functionDefaults = { logRetention, logRemovalPolicy: removalPolicy };

    const upload = new CapabilityFunction(this, 'UploadFunction', {
      ...functionDefaults,
      capability: 'upload',
      description: 'POST /uploads: checks an image and stores it under its content address',
      environment: { ...commonEnvironment, [ENV.maxImageBytes]: String(config.maxImageBytes) },
    });
    storage.grantObjects(upload, ['s3:PutObject']);
    const uploadBody = api.addJsonModel('UploadRequest', UPLOAD_REQUEST_SCHEMA);
    api.addLambdaRoute('POST', '/uploads', upload.function, { jsonBodyModel: uploadBody });
    // Clients of the older proxy API post to the root.
    api.addLambdaRoute('POST', '/', upload.function, { jsonBodyModel: uploadBody });

    new CfnOutput(this, 'ApiUrl', { value: api.restApi.url, description: 'Base URL of the API (POST /uploads, GET /health)' });
    new CfnOutput(this, 'CdnBaseUrl', { value: cdn.baseUrl, description: 'Base of the public image URLs' });
    new CfnOutput(this, 'CdnDistributionDomain', {
      value: cdn.distribution.distributionDomainName,
      description: 'Target of the DNS alias (CNAME/ALIAS) when a custom domain is configured',
    });
    for (const [name, key] of clients.keys) {
      const id = outputIdOf(name);
      new CfnOutput(this, `ApiKeyId${id}`, { value: key.keyId, description: `API key id of client "${name}"` });
      new CfnOutput(this, `ApiKeyCommand${id}`, {
        value: `aws apigateway get-api-key --api-key ${key.keyId} --include-value --query value --output text --region ${this.region}`,
        description: `Prints the API key value of client "${name}"`,
      });
    }
  }
}
