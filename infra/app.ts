import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app';
import { DeployConfigError } from './config';
import { RenderRuntimeError } from './render-runtime';

// `cdk synth` / `cdk deploy` entry (cdk.json "app"). Configuration: cdk.json "context" or -c.
const app = new App();
try {
  buildApp(app);
} catch (err) {
  if (err instanceof RenderRuntimeError) {
    console.error(err.message);
    process.exit(1);
  }
  if (!(err instanceof DeployConfigError)) throw err;
  console.error(`configuration error: ${err.message}`);
  process.exit(1);
}
app.synth();
