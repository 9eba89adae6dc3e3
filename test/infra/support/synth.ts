import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../../infra/build-app';
import type { ImageProxyStack } from '../../../infra/image-proxy-stack';

/** A context with two clients, as ops would write it in cdk.json. */
export const TWO_CLIENTS_CONTEXT = {
  clients: {
    alice: { rateLimit: 5, burstLimit: 10, quotaLimit: 1000, quotaPeriod: 'DAY' },
    'bob-bot': { rateLimit: 20, burstLimit: 40 },
  },
} as const;

export interface SynthOptions {
  /**
   * Bundle the Lambda code with esbuild (slow). Off, CDK stages a placeholder asset, which
   * is enough for assertions on everything but the code itself.
   */
  readonly bundle?: boolean;
}

/** Builds the app the way `infra/app.ts` does (cdk-nag attached) and synthesizes the stack. */
export function synthesize(context: Record<string, unknown>, options: SynthOptions = {}): { stack: ImageProxyStack; template: Template } {
  const app = new App({ context: { ...context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const stack = buildApp(app);
  return { stack, template: Template.fromStack(stack) };
}
