/**
 * Loading what only some requests need when the first of them arrives, not at cold start.
 *
 * An SDK client costs 30–80 ms of CPU to load and construct (bench `cold-start`); a function that
 * needs CloudFront only on delete, or Lambda only for a background erase, should not pay that in
 * every cold start. Those clients live in `./sdk/<name>` and are reached only through
 * `import('./sdk/<name>')`: the Lambda bundle leaves them out and ships each as a file of its own,
 * `sdk/<name>.js` beside index.js (infra/lambda-bundling.ts, ON_FIRST_USE_IMPORTS), so a cold
 * start neither reads nor compiles them. Tests and local mode import the TypeScript source.
 */

/**
 * `make` run on first use and its result held; a failed attempt is forgotten, so the next use
 * tries again (a cold start must not keep a transient failure for its lifetime).
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let held: Promise<T> | undefined;
  return () => {
    held ??= make().catch((err: unknown) => {
      held = undefined;
      throw err;
    });
    return held;
  };
}

/** A client given as is (tests, local mode) or as a loader that makes it on first use. */
export type Deferred<T extends object> = T | (() => Promise<T>);

/** The client a `Deferred` stands for. */
export function resolveDeferred<T extends object>(source: Deferred<T>): Promise<T> {
  return typeof source === 'function' ? source() : Promise.resolve(source);
}
