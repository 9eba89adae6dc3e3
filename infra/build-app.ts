import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CONTEXT_KEYS, readDeployConfig, type ContextKey } from './config';
import { ImageProxyStack } from './image-proxy-stack';

/**
 * Builds the deployable app on `app`: reads and validates the configuration from its context
 * (throws `DeployConfigError` on a bad value), adds the stack, and attaches cdk-nag's
 * AWS Solutions and Serverless checks so synthesis fails on any finding (errors and warnings
 * alike) not acknowledged in code next to its resource.
 * `infra/app.ts` and the infra tests both build the app through here.
 */
export function buildApp(app: App): ImageProxyStack {
  const context: Partial<Record<ContextKey, unknown>> = {};
  for (const key of CONTEXT_KEYS) context[key] = app.node.tryGetContext(key);
  const config = readDeployConfig(context);
  const stack = new ImageProxyStack(app, config.stackName, {
    config,
    description:
      's3-image-proxy: private S3 images served through CloudFront, uploaded through an API-key API',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return stack;
}
