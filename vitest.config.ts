import { configDefaults, defineConfig } from 'vitest/config';

const INFRA_TESTS = 'test/infra/**/*.test.ts';

export default defineConfig({
  test: {
    setupFiles: ['test/support/setup.ts'],
    // CDK synth and s3rver start-ups are slow on 2 cores; behaviour, not speed, is under test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Metrics print one EMF line per request: on only where a test reads them (test/support/emf.ts).
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false', POWERTOOLS_METRICS_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'app',
          include: ['test/**/*.test.ts'],
          // Every answer of every local server started in a test is checked against openapi/openapi.json.
          setupFiles: ['test/support/contract-setup.ts'],
          exclude: [...configDefaults.exclude, INFRA_TESTS],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: [INFRA_TESTS],
          // One worker that keeps its modules from file to file, so aws-cdk-lib loads once and
          // each configuration is synthesized once for the whole run (test/infra/support/synth.ts).
          // A project with its own worker count needs its own group: it runs after "app".
          isolate: false,
          fileParallelism: false,
          globalSetup: ['test/infra/support/global-setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
