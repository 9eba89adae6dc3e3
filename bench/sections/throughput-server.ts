import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../infra/local/local-server';

/** Local mode (API + embedded s3rver) in its own process, so load generation does not share its CPU. */
const dataDir = mkdtempSync(join(tmpdir(), 'bench-s3-'));
const apiKey = 'bench-api-key';
// The throttle is lifted to its ceiling: this measures the request path, not the rate limit.
const server = await startLocalServer({
  port: 0,
  dataDir,
  clients: new Map([['bench', apiKey]]),
  env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
});
process.send!({
  apiUrl: server.apiUrl,
  s3Endpoint: server.s3Endpoint,
  bucketName: server.bucketName,
  apiKey,
});
process.on('message', async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
