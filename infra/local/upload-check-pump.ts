import type { S3Event } from 'aws-lambda';
import { QUARANTINE_PREFIX } from '../../lambdas/core/object-namespace';

/** Runs the check of presigned uploads for the S3 events the embedded server emits. */
export interface UploadCheckPump {
  /** Feeds one event; events matching the AWS notification filter are queued. */
  accept(event: S3Event): void;
  /** Resolves once every queued check has finished. */
  drain(): Promise<void>;
}

/**
 * Local stand-in for the S3 → Lambda notification: only `ObjectCreated:*` under `_incoming/`
 * (the filter infra sets), one check at a time, like a function with reserved concurrency 1.
 * A failed check is reported and dropped (AWS would retry it twice).
 */
export function createUploadCheckPump(
  check: (event: S3Event) => Promise<unknown>,
  onError: (err: unknown) => void,
): UploadCheckPump {
  let queue: Promise<void> = Promise.resolve();
  return {
    accept(event) {
      const records = (event.Records ?? []).filter(
        (record) =>
          record.eventName.startsWith('ObjectCreated') && record.s3.object.key.startsWith(QUARANTINE_PREFIX),
      );
      if (records.length === 0) return;
      queue = queue.then(() => check({ Records: records }).then(() => undefined, onError));
    },
    drain: () => queue,
  };
}
