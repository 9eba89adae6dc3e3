import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
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

const CAPABILITIES_DIR = join(REPO_ROOT, 'lambdas/capabilities');
const urlOf = (path: string) => pathToFileURL(join(REPO_ROOT, path)).href;

/** Runs `node --import tsx <args>` in the repository with the module-load recorder: the modules it loaded. */
function modulesLoadedBy(args: readonly string[], env: Record<string, string> = {}): string[] {
  const log = join(mkdtempSync(join(inject('cdkOutRoot'), 'module-graph-')), 'modules.json');
  const recorder = join(REPO_ROOT, 'test/infra/support/module-load-recorder.ts');
  execFileSync(process.execPath, ['--import', 'tsx', '--import', recorder, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: ISOLATED_HOME, MODULE_LOAD_LOG: log, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return JSON.parse(readFileSync(log, 'utf8')) as string[];
}

/** `infra/app.ts` run as `cdk synth` runs it, with cdk.json's context: the modules loaded and the assembly. */
function synthesizeRecordingModules(): { modules: string[]; assembly: string[] } {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const outdir = mkdtempSync(join(inject('cdkOutRoot'), 'synth-'));
  const modules = modulesLoadedBy(['infra/app.ts'], {
    // What the CDK CLI hands the app; bundling skipped: esbuild runs in its own process anyway.
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, 'aws:cdk:bundling-stacks': [] }),
  });
  return { modules, assembly: readdirSync(outdir) };
}

/** Every manifest's data file: the `<fn>.ts` beside each `<fn>.compose.ts`. */
const MANIFEST_DATA_FILES = readdirSync(CAPABILITIES_DIR)
  .filter((file) => file.endsWith('.compose.ts'))
  .map((file) => `lambdas/capabilities/${file.replace(/\.compose\.ts$/, '.ts')}`);

describe('cdk synth', () => {
  let synthesis: { modules: string[]; assembly: string[] };

  beforeAll(() => {
    // Prepare
    synthesis = synthesizeRecordingModules();
  });

  it('synthesizes the stack while recording the manifests it reads', () => {
    // Assess: the recorder saw the stack read the manifests' data, and the template was written.
    expect(synthesis.modules).toContain(urlOf('infra/capability-functions.ts'));
    expect(synthesis.modules).toContain(urlOf('lambdas/capabilities/upload.ts'));
    expect(synthesis.assembly).toContain('S3ImageProxy.template.json');
  });

  it('loads no Lambda entry, route, use case or image code, sharp, libheif-js, AWS SDK or Powertools', () => {
    // Act
    const runtimeModules = synthesis.modules.filter((module) => RUNTIME_ONLY.test(module));

    // Assess
    expect(runtimeModules).toEqual([]);
  });
});

describe('the manifests’ data files', () => {
  it('sit beside every composition, one per function', () => {
    // Assess: the six functions, each a data file whose composition is beside it.
    expect(MANIFEST_DATA_FILES.map((file) => file.replace('lambdas/capabilities/', '')).sort()).toEqual(
      ['api-capabilities', 'check-upload', 'objects', 'presign', 'reconcile', 'render', 'upload'].map(
        (name) => `${name}.ts`,
      ),
    );
  });

  it('load no runtime code, those the stack does not read included (render, reconcile)', () => {
    // Act
    const imports = MANIFEST_DATA_FILES.map((file) => `await import(${JSON.stringify(urlOf(file))});`);
    const modules = modulesLoadedBy(['--input-type=module', '-e', imports.join('\n')]);

    // Assess
    expect(modules).toContain(urlOf('lambdas/capabilities/reconcile.ts'));
    expect(modules.filter((module) => RUNTIME_ONLY.test(module))).toEqual([]);
  });
});
