import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Imported first by every infra test file, before aws-cdk-lib loads: CDK caches asset
// fingerprints under ~/.cdk, and NodejsFunction runs esbuild through `npx`, which writes npm
// logs under the npm cache. Point all of them at a throw-away directory, never the real home.
const home = mkdtempSync(join(tmpdir(), 's3-image-proxy-cdk-home-'));
Object.assign(process.env, {
  HOME: home,
  CDK_HOME: home,
  CDK_DISABLE_VERSION_CHECK: '1',
  npm_config_cache: join(home, '.npm'),
  npm_config_logs_dir: join(home, 'npm-logs'),
  npm_config_update_notifier: 'false',
});

/** The temporary home the infra tests run with. */
export const ISOLATED_HOME = home;
