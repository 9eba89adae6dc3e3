import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ErasureDispatcher } from '../catalogue/erase-in-background';
import { toStorageError } from './service-errors';

/**
 * Hands an erasure to a new invocation of this very function (`Event`: Lambda queues it and
 * answers at once, retrying a failed run twice; each run continues from what is left).
 */
export function selfInvokingDispatcher(lambda: LambdaClient, functionName: string): ErasureDispatcher {
  return async (event) => {
    try {
      await lambda.send(
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
