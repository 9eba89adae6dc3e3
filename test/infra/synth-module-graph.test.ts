import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { REPO_ROOT } from '../../infra/lambda-bundling';
import { ISOLATED_HOME } from './support/isolated-home';

/**
 * Runtime code the stack must never load: the Lambda entries, the use cases, transport and image
 * pipeline they compose, and the packages only they need (sharp, the HEIC decoder, the AWS SDK,
 * Powertools). The stack reads the manifests' data (lambdas/capabilities/<fn>.ts), never their
 * composition (<fn>.compose.ts), so `cdk synth` stays fast and infra does not depend on handler code.
 */
const RUNTIME_ONLY =
  /\/lambdas\/(handlers|imaging|publishing|routes)\/|\/node_modules\/(sharp|libheif-js|@aws-sdk\/[^/]+|@aws-lambda-powertools\/[^/]+)\//;

/** `infra/app.ts` run as `cdk synth` runs it, with cdk.json's context; the modules it loaded. */
function synthesizeRecordingModules(): { modules: string[]; assembly: string[] } {
  const root = mkdtempSync(join(inject('cdkOutRoot'), 'module-graph-'));
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const log = join(root, 'modules.json');
  const outdir = join(root, 'cdk.out');
  const recorder = join(REPO_ROOT, 'test/infra/support/module-load-recorder.ts');
  execFileSync(process.execPath, ['--import', 'tsx', '--import', recorder, 'infra/app.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HOME: ISOLATED_HOME,
      MODULE_LOAD_LOG: log,
      // What the CDK CLI hands the app; bundling skipped: esbuild runs in its own process anyway.
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, 'aws:cdk:bundling-stacks': [] }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return { modules: JSON.parse(readFileSync(log, 'utf8')) as string[], assembly: readdirSync(outdir) };
}

describe('cdk synth', () => {
  let synthesis: { modules: string[]; assembly: string[] };

  beforeAll(() => {
    // Prepare
    synthesis = synthesizeRecordingModules();
  });

  it('synthesizes the stack while recording the manifests it reads', () => {
    // Assess: the recorder saw the stack read the manifests' data, and the template was written.
    const url = (path: string) => pathToFileURL(join(REPO_ROOT, path)).href;
    expect(synthesis.modules).toContain(url('infra/capability-functions.ts'));
    expect(synthesis.modules).toContain(url('lambdas/capabilities/upload.ts'));
    expect(synthesis.assembly).toContain('S3ImageProxy.template.json');
  });

  it('loads no Lambda entry, route, use case or image code, sharp, libheif-js, AWS SDK or Powertools', () => {
    // Act
    const runtimeModules = synthesis.modules.filter((module) => RUNTIME_ONLY.test(module));

    // Assess
    expect(runtimeModules).toEqual([]);
  });
});
