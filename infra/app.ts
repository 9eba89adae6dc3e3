import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app';
import { DeployConfigError } from './config';

// `cdk synth` / `cdk deploy` entry (cdk.json "app"). Configuration: cdk.json "context" or -c.
const app = new App();
try {
  buildApp(app);
} catch (err) {
  if (!(err instanceof DeployConfigError)) throw err;
  console.error(`configuration error: ${err.message}`);
  process.exit(1);
}
app.synth();
