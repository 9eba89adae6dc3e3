import { CfnOutput, type Stack } from 'aws-cdk-lib';
import { outputIdOf } from './config';
import { CONSOLE_PATH } from './console-assets';
import type { ApiClients } from './constructs/api-clients';
import type { ImageApi } from './constructs/image-api';
import type { ImageCdn } from './constructs/image-cdn';
import type { Operations } from './constructs/operations';
import type { UploadCheckTrigger } from './constructs/upload-check-trigger';

/** What the stack's outputs name. */
export interface StackOutputSources {
  readonly api: ImageApi;
  readonly cdn: ImageCdn;
  readonly clients: ApiClients;
  readonly uploadCheck: UploadCheckTrigger;
  readonly operations: Operations;
}

/** The stack's outputs: its URLs, the dashboard, the check's dead letters and each client's key. */
export function addStackOutputs(
  stack: Stack,
  { api, cdn, clients, uploadCheck, operations }: StackOutputSources,
): void {
  new CfnOutput(stack, 'ConsoleUrl', {
    value: `${cdn.baseUrl}${CONSOLE_PATH}/`,
    description: 'The files page: browse, upload, find, copy and delete images with an API key',
  });
  new CfnOutput(stack, 'ApiUrl', {
    value: api.restApi.url,
    description:
      'Base URL of the API (POST /uploads, POST /presign, /objects, GET /health, GET /openapi.json)',
  });
  new CfnOutput(stack, 'CdnBaseUrl', { value: cdn.baseUrl, description: 'Base of the public image URLs' });
  new CfnOutput(stack, 'CdnDistributionDomain', {
    value: cdn.distribution.distributionDomainName,
    description: 'Target of the DNS alias (CNAME/ALIAS) when a custom domain is configured',
  });
  new CfnOutput(stack, 'UploadCheckFailuresQueueUrl', {
    value: uploadCheck.failures.queueUrl,
    description: 'SQS queue holding S3 events whose upload check failed every attempt (should stay empty)',
  });
  new CfnOutput(stack, 'DashboardUrl', {
    value: `https://console.aws.amazon.com/cloudwatch/home?region=${stack.region}#dashboards:name=${operations.dashboard.dashboardName}`,
    description: 'The operations dashboard: alarms, 5xx rates, storage faults, rendering durations, checks',
  });
  addClientKeyOutputs(stack, clients);
}

/** Each client's key id and the command that prints its value; the outgoing key during a rotation. */
function addClientKeyOutputs(stack: Stack, clients: ApiClients): void {
  for (const [name, key] of clients.previousKeys) {
    new CfnOutput(stack, `PreviousApiKeyId${outputIdOf(name)}`, {
      value: key.keyId,
      description: `Outgoing API key id of client "${name}", valid until previousKeyGeneration is removed`,
    });
  }
  for (const [name, key] of clients.keys) {
    const id = outputIdOf(name);
    new CfnOutput(stack, `ApiKeyId${id}`, {
      value: key.keyId,
      description: `API key id of client "${name}"`,
    });
    new CfnOutput(stack, `ApiKeyCommand${id}`, {
      value: `aws apigateway get-api-key --api-key ${key.keyId} --include-value --query value --output text --region ${stack.region}`,
      description: `Prints the API key value of client "${name}"`,
    });
  }
}
