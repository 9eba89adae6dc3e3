import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, inject } from 'vitest';
import { buildApp } from '../../../infra/build-app';
import { REPO_ROOT } from '../../../infra/lambda-bundling';
import type { ImageProxyStack } from '../../../infra/image-proxy-stack';

/**
 * The CDK feature flags of `cdk.json` (every `@aws-cdk…` context key): `cdk synth` reads them from
 * there, so every test app gets them too and tests what a deploy would synthesize.
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = Object.fromEntries(
  Object.entries(
    (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
      .context,
  ).filter(([key]) => key.startsWith('@aws-cdk')),
);

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

export interface Synthesized {
  readonly stack: ImageProxyStack;
  readonly template: Template;
}

// One synthesis per configuration for the whole run: test/infra runs its files one after another
// in one worker that keeps its modules (vitest.config.ts, project "infra"), so this cache and the
// loaded aws-cdk-lib serve every file instead of being rebuilt by each.
const synthesized = new Map<string, Synthesized>();

/**
 * Builds the app the way `infra/app.ts` does (cdk-nag attached) and synthesizes the stack, once
 * per context and options: later calls with an equal configuration get the same stack and
 * template. They are shared, so read them only; a test that adds constructs builds its own app
 * with `buildApp` (as cdk-nag.test.ts does).
 */
export function synthesize(context: Record<string, unknown>, options: SynthOptions = {}): Synthesized {
  const key = JSON.stringify({ context, bundle: options.bundle === true });
  let result = synthesized.get(key);
  if (result === undefined) {
    const app = new App({
      // Under the run's folder (global-setup.ts), which is removed when the run ends.
      outdir: mkdtempSync(join(inject('cdkOutRoot'), 'assembly-')),
      context: { ...FEATURE_FLAGS, ...context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    });
    const stack = buildApp(app);
    result = { stack, template: Template.fromStack(stack) };
    synthesized.set(key, result);
  }
  return result;
}

/**
 * Registers a `beforeAll` that hands the stack synthesized for `context` (once per run, see
 * {@link synthesize}) to `assign` (a describe block's variables).
 */
export function onSynthesized(
  context: Record<string, unknown>,
  assign: (synthesized: Synthesized) => unknown,
): void {
  beforeAll(() => {
    // synthesize throws on any cdk-nag finding nobody acknowledged
    assign(synthesize(context));
  });
}
