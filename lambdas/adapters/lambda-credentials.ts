/**
 * Stands in for `@aws-sdk/credential-provider-node` in Lambda bundles (an esbuild alias, see
 * infra/lambda-bundling.ts). On Lambda the function role's credentials are always in the
 * environment, so the default chain's SSO, INI, process, IMDS and STS providers are dead
 * weight: about 125 KB of bundle and a third of the SDK's cold-start cost (`npm run bench`).
 * Tests and local mode do not bundle and keep the full chain.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
