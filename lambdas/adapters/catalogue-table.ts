/**
 * The catalogue table's shape, shared by the stack (which creates it), local mode (which creates
 * it in the embedded DynamoDB) and the adapter (which reads and writes it), so they cannot drift.
 *
 * One table, three kinds of item under the partition key `pk`:
 * - `I#<client>#<imageId>`: an image record (its JSON in `doc`, plus the attributes listings
 *   filter on), indexed by `byFolder` under `gpk` = `C#<client>` and
 *   `gsk` = `<folder>/#<createdAt>#<imageId>` (one folder is a `begins_with`, a folder and
 *   everything under it too);
 * - `K#<object key>`: which image an object key belongs to (every profile and the original);
 * - `F#<client>#<folder>`: the counters of the images recorded in that very folder, indexed by
 *   `byFolder` under `gpk` = `T#<client>` and `gsk` = `<folder>/` (a recursive stats read sums
 *   them with one Query; a write updates one item, whatever the folder's depth);
 * - `E#<client>#<id>` and `R#<client>#<folder>`: a background folder erasure and the folder's
 *   running one (`erasure-log.ts`); while running, an erasure is indexed under `gpk` = `E#running`;
 * - `X#reconcile`: where the scheduled reconciler stopped (`catalogue-reconcile-cursor.ts`).
 */
export const CATALOGUE_TABLE = {
  partitionKey: 'pk',
  folderIndex: 'byFolder',
  folderIndexPartitionKey: 'gpk',
  folderIndexSortKey: 'gsk',
  /** Epoch seconds after which DynamoDB deletes the item (TTL): set on finished erasures only. */
  timeToLiveAttribute: 'expiresAt',
} as const;

/**
 * Days a finished erasure's record is kept (`GET /erasures/{id}` answers `done` until then, 404
 * after). A month: the GDPR's time to answer an erasure request (Art. 12(3)), so whoever filed
 * one can show it was done; not longer, because the record names the folder, often an e-mail.
 */
export const FINISHED_ERASURE_RETENTION_DAYS = 30;
