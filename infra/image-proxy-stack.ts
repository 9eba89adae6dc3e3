import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CDN_RENDITION_PREFIX } from '../lambdas/core/cdn-rendition';
import {
  PRIVATE_KEY_PREFIX,
  QUARANTINE_PREFIX,
  UPLOAD_STATUS_PREFIX,
} from '../lambdas/core/object-namespace';
import { PRESIGNED_PUT_HEADERS } from '../lambdas/core/presign-request';
import type { DeployConfig } from './config';
import { addCapabilityFunctions } from './capability-functions';
import type { FunctionSettingValues, SettingValues } from './capability-settings';
import { ApiClients } from './constructs/api-clients';
import { ConsoleSite } from './constructs/console-site';
import { directUploadMaxBytes } from './console-assets';
import type { CapabilityFunctionProps } from './constructs/capability-function';
import { CDN_DENIED_KEY_PREFIXES, CdnRenditions } from './constructs/cdn-renditions';
import { ImageApi } from './constructs/image-api';
import { ImageCdn } from './constructs/image-cdn';
import { ImageStorage } from './constructs/image-storage';
import { Operations, alarmTopicOf } from './constructs/operations';
import { ImageCatalogue } from './constructs/image-catalogue';
import { CatalogueReconciler } from './constructs/catalogue-reconciler';
import { PresignQuotaTable } from './constructs/presign-quota-table';
import { UploadCheckTrigger } from './constructs/upload-check-trigger';
import { addStackOutputs } from './stack-outputs';

export interface ImageProxyStackProps extends StackProps {
  /** The validated deploy configuration (`readDeployConfig`). */
  readonly config: DeployConfig;
}

/** Everything `cdk deploy` creates: storage, CDN, API, clients and one function per capability. */
export class ImageProxyStack extends Stack {
  private readonly config: DeployConfig;
  private readonly removalPolicy: RemovalPolicy;
  /** Props every function shares: its logs, tracing and stack traces. */
  private readonly functionDefaults: Partial<CapabilityFunctionProps>;

  constructor(scope: Construct, id: string, props: ImageProxyStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    this.removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    this.functionDefaults = {
      logRetention: config.logRetentionDays as logs.RetentionDays,
      logRemovalPolicy: this.removalPolicy,
      tracing: config.tracing,
      sourceMapStackTraces: config.sourceMapStackTraces,
    };
    const storage = this.addStorage();
    // What the functions' environments are written from (lambdas/capabilities/: each manifest's
    // settings); the render function, an origin of the CDN, is made before the other names exist.
    const functionSettings = { config, serviceName: this.stackName, bucketName: storage.bucket.bucketName };
    const cdnRenditions = this.addCdnRenditions(storage, functionSettings);
    const cdn = this.addCdn(storage, cdnRenditions);
    const api = this.addApi();
    const clients = this.addClients(api);
    const settings: SettingValues = {
      ...functionSettings,
      publicBaseUrl: cdn.baseUrl,
      clientKeyIds: clients.clientKeyIds,
      corsEnvironment: () => api.cors.environment(),
      distributionId: cdn.distribution.distributionId,
    };
    // One function per manifest (lambdas/capabilities/): its environment, grants and API methods.
    const catalogue = new ImageCatalogue(this, 'Catalogue');
    const functions = addCapabilityFunctions(this, {
      config,
      storage,
      catalogue,
      // Each presigned upload may become a 1 GiB+ check run: counted per client and window.
      presignQuota: new PresignQuotaTable(this, 'PresignQuota'),
      cdn,
      api,
      functionDefaults: this.functionDefaults,
      settings,
    });
    const uploadCheck = new UploadCheckTrigger(this, 'UploadCheck', {
      bucket: storage.bucket,
      prefix: QUARANTINE_PREFIX,
      checkFunction: functions.checkUpload.function,
    });
    // Repairs what a crash left between bucket and catalogue, and finishes erasures whose runs died.
    const reconciler = new CatalogueReconciler(this, 'CatalogueReconciler', {
      ...this.functionDefaults,
      storage,
      catalogue,
      distribution: cdn.distribution,
      settings,
      everyHours: config.reconcileEveryHours,
    });
    const operations = new Operations(this, 'Operations', {
      serviceName: this.stackName,
      functions: { ...functions, render: cdnRenditions?.renderFunction, reconcile: reconciler.function },
      api: api.restApi,
      apiAccessLogs: api.accessLogs,
      checkFailures: uploadCheck.failures,
      alarmTopic: alarmTopicOf(this, config),
    });
    this.addConsole(storage, cdn, api);
    addStackOutputs(this, { api, cdn, clients, uploadCheck, operations });
  }

  /** The private bucket, its log buckets and the lifetimes of its prefixes. */
  private addStorage(): ImageStorage {
    const { config } = this;
    const { renditions } = config;
    return new ImageStorage(this, 'Storage', {
      removalPolicy: this.removalPolicy,
      objectExpiration:
        config.objectExpirationDays === undefined ? undefined : Duration.days(config.objectExpirationDays),
      accessLogRetention: Duration.days(config.logRetentionDays),
      // Presigned PUTs land here; the check function publishes them, the CDN never reads them.
      quarantinePrefix: QUARANTINE_PREFIX,
      quarantineExpiration: Duration.days(1),
      // The CDN reads _renditions/: with renditions the other private prefixes are denied by name.
      privateKeyPrefixes: renditions.enabled ? CDN_DENIED_KEY_PREFIXES : [PRIVATE_KEY_PREFIX],
      // An outcome must outlive every URL that could still PUT to its upload id (a replay is
      // refused because the outcome is there); a day more than the longest presign. Renditions
      // expire (and are made again on the next miss) even while disabled: none is left forever.
      expiringPrefixes: [
        {
          prefix: UPLOAD_STATUS_PREFIX,
          expiration: Duration.days(Math.ceil(config.presignMaxExpiresSeconds / 86_400) + 1),
        },
        { prefix: CDN_RENDITION_PREFIX, expiration: Duration.days(renditions.expirationDays) },
      ],
      presignedRequestHeaders: PRESIGNED_PUT_HEADERS,
    });
  }

  /** Renditions at the CDN (`?w=&format=`), when enabled: the rendering function behind CloudFront. */
  private addCdnRenditions(
    storage: ImageStorage,
    settings: FunctionSettingValues,
  ): CdnRenditions | undefined {
    const { config } = this;
    const { renditions } = config;
    if (!renditions.enabled) return undefined;
    // Id "Render": its function's logical id is RenderFunction…, like the other functions'.
    return new CdnRenditions(this, 'Render', {
      ...this.functionDefaults,
      reservedConcurrency: config.reservedConcurrency?.render,
      storage,
      settings,
      originShieldRegion: renditions.originShieldRegion,
      memoryMiB: config.functionMemory.render,
    });
  }

  private addCdn(storage: ImageStorage, renditions: CdnRenditions | undefined): ImageCdn {
    const { config } = this;
    return new ImageCdn(this, 'Cdn', {
      bucket: storage.bucket,
      logBucket: storage.cdnLogBucket,
      priceClass: config.priceClass as cloudfront.PriceClass,
      domainName: config.customDomain?.domainName,
      certificate:
        config.customDomain &&
        acm.Certificate.fromCertificateArn(this, 'CdnCertificate', config.customDomain.certificateArn),
      webAclArn: config.webAclArn,
      geoAllowlist: config.geoAllowlist,
      renditions,
    });
  }

  private addApi(): ImageApi {
    const { config } = this;
    return new ImageApi(this, 'Api', {
      accessLogRetention: config.logRetentionDays as logs.RetentionDays,
      logRemovalPolicy: this.removalPolicy,
      maxImageBytes: config.maxImageBytes,
      // A ceiling for all clients together, whatever their usage plans allow.
      throttle: config.apiThrottle,
      tracing: config.tracing,
      serviceName: this.stackName,
      corsOrigins: config.corsOrigins,
    });
  }

  /** One API key and usage plan per configured client. */
  private addClients(api: ImageApi): ApiClients {
    return new ApiClients(this, 'Clients', {
      api: api.restApi,
      namePrefix: this.stackName,
      clients: this.config.clients.map((client) => ({
        ...client,
        quota:
          client.quotaLimit === undefined
            ? undefined
            : { limit: client.quotaLimit, period: apigw.Period[client.quotaPeriod] },
      })),
    });
  }

  /** The files page at /console of the same distribution; it calls the API with the user's key. */
  private addConsole(storage: ImageStorage, cdn: ImageCdn, api: ImageApi): void {
    new ConsoleSite(this, 'Console', {
      distribution: cdn.distribution,
      apiUrl: api.restApi.url,
      cdnBaseUrl: cdn.baseUrl,
      origins: {
        api: `https://${api.restApi.restApiId}.execute-api.${this.region}.${this.urlSuffix}`,
        cdn: cdn.baseUrl,
        uploads: `https://${storage.bucket.bucketRegionalDomainName}`,
      },
      directUploadMaxBytes: directUploadMaxBytes(this.config.maxImageBytes),
      accessLogBucket: storage.logBucket,
      removalPolicy: this.removalPolicy,
    });
    // The console is served from the CDN's origin: the API answers CORS for it, and for no one else unasked.
    api.addCorsOrigin(cdn.baseUrl);
  }
}
