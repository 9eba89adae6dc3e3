// `npm run render-runtime`, and the root package's postinstall (so `npm ci` leaves it ready):
// installs sharp/libvips and libheif for the Lambda functions' platform into
// infra/render-runtime/node_modules, whatever platform this machine is (infra/render-runtime.ts).
import {
  installRenderRuntime,
  lambdaPlatform,
  RENDER_RUNTIME_NODE_MODULES,
  RenderRuntimeError,
} from '../infra/render-runtime';

const platform = lambdaPlatform();
try {
  installRenderRuntime(platform);
  console.log(
    `render runtime for Lambda ${platform.os}-${platform.cpu} (${platform.libc}) ready in ${RENDER_RUNTIME_NODE_MODULES}`,
  );
} catch (err) {
  if (!(err instanceof RenderRuntimeError)) throw err;
  console.error(`render runtime: ${err.message}`);
  process.exit(1);
}
