import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder the infra tests write their cloud assemblies under; removed after the run. */
    cdkOutRoot: string;
  }
}

/**
 * One temp folder per run for the infra tests' cloud assemblies, removed when the run ends: a
 * bundled assembly holds the rendering functions' binaries (~45 MiB), and the test worker is
 * stopped without running exit hooks, so a test cannot clean up after the shared synthesis.
 */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 's3-image-proxy-cdk-out-'));
  project.provide('cdkOutRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
