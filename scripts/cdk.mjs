#!/usr/bin/env node
// Runs the project's pinned CDK CLI (aws-cdk 2.1148.x) so that it stays offline where it can
// and keeps its own files out of $HOME:
// - CDK_DISABLE_VERSION_CHECK=1: no npm registry look-up for a newer CLI;
// - CDK_HOME=.cdk-home/ (git-ignored): the CLI's cache and state stay in the project;
// - commands that need no AWS credentials (synth, ls, …) also get HOME=.cdk-home/ and no
//   EC2 instance-metadata look-up, so nothing reads or writes the real home or the network.
//   Commands that talk to AWS (deploy, bootstrap, diff, destroy) keep HOME, because the AWS
//   SDK finds the ops' profiles and SSO cache under it.
// cdk.json turns off notices (top-level "notices", read by the CLI) and telemetry (context).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cdkHome = join(root, '.cdk-home');
mkdirSync(cdkHome, { recursive: true });

const args = process.argv.slice(2);
const command = args.find((arg) => !arg.startsWith('-'));
const OFFLINE_COMMANDS = new Set([
  'synth',
  'synthesize',
  'ls',
  'list',
  'docs',
  'doctor',
  'acknowledge',
  'ack',
  'context',
]);
const offline = command === undefined || OFFLINE_COMMANDS.has(command);

const bins = join(root, 'node_modules', '.bin');
const env = {
  ...process.env,
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CDK_HOME: cdkHome,
  npm_config_update_notifier: 'false',
};
// The project's own Node (node_modules/.bin/node, from `npm ci`) runs the CLI and the app
// (cdk.json "app": "node …"), as under `npm run`, even when this script is started directly.
const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH'; // `Path` on Windows
env[pathKey] = [bins, env[pathKey]].filter(Boolean).join(delimiter);
if (offline) {
  Object.assign(env, {
    HOME: cdkHome,
    USERPROFILE: cdkHome,
    AWS_EC2_METADATA_DISABLED: 'true',
    // `npm run` hands its own cache path (under $HOME) to children, and NodejsFunction runs
    // esbuild through `npx --no-install`: keep that npm's cache and logs here too.
    npm_config_cache: join(cdkHome, '.npm'),
    npm_config_logs_dir: join(cdkHome, 'npm-logs'),
  });
}

const bin = join(bins, process.platform === 'win32' ? 'cdk.cmd' : 'cdk');
const result = spawnSync(bin, args, { cwd: root, env, stdio: 'inherit' });
if (result.error) {
  console.error(`could not run ${bin}: ${result.error.message} (run npm ci first)`);
  process.exit(1);
}
process.exit(result.status ?? 1);
