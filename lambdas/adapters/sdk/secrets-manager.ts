// What the key secret's reader uses of the Secrets Manager SDK, loaded with `import()` on the
// first read (on-first-use.ts): a module of its own, so esbuild bundles these exports only.
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
