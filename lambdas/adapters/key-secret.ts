import { MIN_KEY_SECRET_BYTES } from '../core/opaque-keys';
import { ConfigError } from './config';
import { ENV } from './env-names';

type Env = Readonly<Record<string, string | undefined>>;

/** The deployment secret that keys public keys, read once per process and then held. */
export type KeySecretSource = () => Promise<Uint8Array>;

function checked(secret: Uint8Array, where: string): Uint8Array {
  if (secret.length < MIN_KEY_SECRET_BYTES)
    throw new ConfigError(`${where}: the key secret must be at least ${MIN_KEY_SECRET_BYTES} bytes`);
  return secret;
}

/**
 * Where the key secret comes from: `LOCAL_KEY_SECRET` (hex; local mode, from its file under
 * DATA_DIR), else the Secrets Manager secret `KEY_SECRET_ARN` that the stack generates (read at
 * the first upload of a cold start, then held; a failure is retried on the next request).
 * Without either, every call fails: only functions that derive no keys run so.
 */
export function loadKeySecret(env: Env, region: string): KeySecretSource {
  const local = env[ENV.localKeySecret]?.trim();
  if (local) {
    const secret = checked(Buffer.from(local, 'hex'), ENV.localKeySecret);
    return async () => secret;
  }
  const arn = env[ENV.keySecretArn]?.trim();
  // Functions that derive no keys (objects: list, describe, delete) are given no secret.
  if (!arn)
    return () =>
      Promise.reject(new ConfigError(`${ENV.keySecretArn} is not set: this function derives no keys`));
  let held: Promise<Uint8Array> | undefined;
  return () => {
    // The SDK loads here, not at cold start: objects never needs it, the others once per process.
    held ??= import('./sdk/secrets-manager')
      .then(({ GetSecretValueCommand, SecretsManagerClient }) =>
        new SecretsManagerClient({ region, maxAttempts: 3 }).send(
          new GetSecretValueCommand({ SecretId: arn }),
        ),
      )
      .then((answer) => checked(Buffer.from(answer.SecretString ?? '', 'utf8'), ENV.keySecretArn))
      .catch((err: unknown) => {
        held = undefined;
        throw err;
      });
    return held;
  };
}
