import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_CAPABILITIES } from '../../lambdas/capabilities/api-capabilities';
import { checkUploadCapability } from '../../lambdas/capabilities/check-upload';
import type { CapabilityGrant, CapabilityManifest } from '../../lambdas/capabilities/manifest';
import { reconcileCapability } from '../../lambdas/capabilities/reconcile';
import { renderCapability } from '../../lambdas/capabilities/render';
import { ENV } from '../../lambdas/adapters/env-names';
import { environmentOf, type SettingValues } from '../../infra/capability-settings';
import { readDeployConfig } from '../../infra/config';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import { logicalIdOf, type Resources, roleStatements, type Statement } from './support/template-queries';

// The loop in infra/capability-functions.ts grants what the API and check manifests declare;
// the render and reconcile functions are made by their own constructs (CdnRenditions,
// CatalogueReconciler), so this holds every function's IAM, description and environment to its
// manifest, whoever wrote them.

/** The services each kind of grant may reach, and the S3 actions it names. */
function expectedOf(grants: readonly CapabilityGrant[]): { s3: Set<string>; services: Set<string> } {
  const s3 = new Set<string>();
  const services = new Set<string>();
  for (const grant of grants) {
    if (grant.to === 'objects') for (const action of grant.actions) s3.add(action);
    else if (grant.to === 'listObjects') s3.add('s3:ListBucket');
    else if (grant.to === 'catalogue' || grant.to === 'presignQuota') services.add('dynamodb');
    else if (grant.to === 'cdnInvalidation') services.add('cloudfront');
    else services.add('lambda');
    if (grant.to === 'catalogue' && grant.derivesKeys) services.add('secretsmanager');
  }
  return { s3, services };
}

/** The allowed actions of a role beyond writing its own logs (and X-Ray, when tracing). */
function grantedOf(statements: readonly Statement[]): { s3: Set<string>; services: Set<string> } {
  const actions = statements
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => [statement.Action].flat() as string[])
    .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'));
  return {
    s3: new Set(actions.filter((action) => action.startsWith('s3:'))),
    services: new Set(actions.map((action) => action.split(':')[0]!).filter((service) => service !== 's3')),
  };
}

const MANIFESTS: readonly [string, CapabilityManifest][] = [
  ...API_CAPABILITIES,
  checkUploadCapability,
  renderCapability,
  reconcileCapability,
].map((manifest) => [manifest.name, manifest]);
/**
 * What a role holds that its code never uses: Lambda itself sends a failed asynchronous S3 event
 * of the check to the trigger's queue (its on-failure destination) with the function's role.
 */
const PLATFORM_SERVICES: Readonly<Record<string, readonly string[]>> = { checkUpload: ['sqs'] };

const ROLE_OF: Readonly<Record<string, string>> = {
  upload: 'UploadFunctionRole',
  presign: 'PresignFunctionRole',
  objects: 'ObjectsFunctionRole',
  checkUpload: 'CheckUploadFunctionRole',
  render: 'RenderFunctionRole',
  reconcile: 'CatalogueReconcilerFunctionRole',
};

describe('every function is granted what its manifest declares, and nothing else', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare
    template = synthesize(TWO_CLIENTS_CONTEXT).template;
  });

  it.each(MANIFESTS)('%s', (name, manifest) => {
    // Act
    const granted = grantedOf(roleStatements(template, ROLE_OF[name]!));

    // Assess
    const expected = expectedOf(manifest.grants);
    for (const service of PLATFORM_SERVICES[name] ?? []) expected.services.add(service);
    expect([...granted.s3].sort()).toEqual([...expected.s3].sort());
    expect([...granted.services].sort()).toEqual([...expected.services].sort());
  });
});

/** Where a resource's name stands in the expected environment: the template has a reference there. */
const RESOURCE_NAME = '<resource name>';
const RESOURCE_NAMES: Omit<SettingValues, 'config'> = {
  serviceName: 'S3ImageProxy',
  bucketName: RESOURCE_NAME,
  publicBaseUrl: RESOURCE_NAME,
  clientKeyIds: RESOURCE_NAME,
  corsEnvironment: () => ({ [ENV.corsOrigins]: RESOURCE_NAME }),
  distributionId: RESOURCE_NAME,
};

/** The variables a grant writes with its permission (the table a function is granted, by name). */
function grantEnvironmentOf(grants: readonly CapabilityGrant[]): Record<string, string> {
  return Object.assign(
    {},
    ...grants.map((grant) => {
      if (grant.to === 'presignQuota') return { [ENV.presignQuotaTable]: RESOURCE_NAME };
      if (grant.to !== 'catalogue') return {};
      return {
        [ENV.catalogueTable]: RESOURCE_NAME,
        ...(grant.derivesKeys && { [ENV.keySecretArn]: RESOURCE_NAME }),
      };
    }),
  );
}

describe('every function has its manifest’s description and the environment of its settings and grants, and nothing else', () => {
  let template: Template;
  let expectedEnvironmentOf: (manifest: CapabilityManifest) => Record<string, string>;

  beforeAll(() => {
    // Prepare
    template = synthesize(TWO_CLIENTS_CONTEXT).template;
    const values = { config: readDeployConfig(TWO_CLIENTS_CONTEXT), ...RESOURCE_NAMES };
    expectedEnvironmentOf = (manifest) => ({
      ...environmentOf(manifest.settings, values),
      ...grantEnvironmentOf(manifest.grants),
    });
  });

  it.each(MANIFESTS)('%s', (name, manifest) => {
    // Act
    const role = ROLE_OF[name]!;
    const functionId = logicalIdOf(template, 'AWS::Lambda::Function', role.replace(/Role$/, ''));
    const { Description, Environment } = (template.toJSON().Resources as Resources)[functionId]!.Properties;
    const environment = Environment.Variables as Record<string, unknown>;

    // Assess
    expect(Description).toBe(manifest.description);
    const expected = expectedEnvironmentOf(manifest);
    expect(Object.keys(environment).sort()).toEqual(Object.keys(expected).sort());
    for (const [variable, value] of Object.entries(expected)) {
      // A resource's name is a reference (Ref, Fn::Join …) in the template; every other value is written as is.
      if (value === RESOURCE_NAME) expect(typeof environment[variable], variable).toBe('object');
      else expect(environment[variable], variable).toBe(value);
    }
  });

  it('refuses a setting that needs a resource made after the function (the render function comes before the CDN)', () => {
    // Prepare
    const beforeTheCdn = {
      config: readDeployConfig(TWO_CLIENTS_CONTEXT),
      serviceName: 'S3ImageProxy',
      bucketName: 'b',
    };

    // Act
    const writing = (settings: CapabilityManifest['settings']) => () => environmentOf(settings, beforeTheCdn);

    // Assess
    expect(writing(['common'])).toThrow('publicBaseUrl is not known where this function is made');
    expect(writing(['cors'])).toThrow('corsEnvironment is not known');
    expect(writing(renderCapability.settings)).not.toThrow();
  });
});
