import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ErasureDispatcher } from '../catalogue/erase-in-background';
import { type Deferred, onFirstUse, resolveDeferred } from './on-first-use';
import { toStorageError } from './service-errors';

/**
 * The Lambda client a function hands its own background work to, made on the first hand-off:
 * only a large folder's erasure needs it, so the SDK stays out of every cold start.
 */
export function lambdaClientOnFirstUse(
  region: string,
  wrap: (client: LambdaClient) => LambdaClient = (client) => client,
): () => Promise<LambdaClient> {
  return onFirstUse(async () => {
    const { LambdaClient } = await import('./sdk/lambda');
    return wrap(new LambdaClient({ region }));
  });
}

/**
 * Hands an erasure to a new invocation of this very function (`Event`: Lambda queues it and
 * answers at once, retrying a failed run twice; each run continues from what is left).
 */
export function selfInvokingDispatcher(
  lambda: Deferred<LambdaClient>,
  functionName: string,
): ErasureDispatcher {
  return async (event) => {
    try {
      const { InvokeCommand } = await import('./sdk/lambda');
      await (await resolveDeferred(lambda)).send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
    } catch (err) {
      throw toStorageError(err);
    }
  };
}
