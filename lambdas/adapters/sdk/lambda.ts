// What self-invocation uses of the Lambda SDK, loaded with `import()` on the first background
// erasure (on-first-use.ts): a module of its own, so esbuild bundles these exports only.
export { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
