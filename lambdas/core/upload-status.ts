/**
 * The outcome of a presigned upload, recorded by the check under `_uploads/` and answered by
 * `GET /uploads/{id}`: still pending, published (with the same answer `POST /uploads` gives)
 * or refused (with the same error code and message `POST /uploads` would have given).
 */
export type UploadStatus =
  | { readonly status: 'pending' }
  | ({ readonly status: 'published' } & Readonly<Record<string, unknown>>)
  | { readonly status: 'refused'; readonly error: string; readonly message: string };

export const PENDING_STATUS: UploadStatus = { status: 'pending' };

/** A published upload's status: its upload answer (`url`, `key`, sizes, tokens…). */
export function publishedStatus(answer: Readonly<Record<string, unknown>>): UploadStatus {
  return { ...answer, status: 'published' };
}

/** A refused upload's status: the error code and message the base64 route gives for the same bytes. */
export function refusedStatus(error: string, message: string): UploadStatus {
  return { status: 'refused', error, message };
}

/** Reads a recorded status; a record that is not one (it never should be) reads as pending. */
export function parseUploadStatus(bytes: Buffer): UploadStatus {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { status?: unknown };
    return parsed.status === 'published' || parsed.status === 'refused'
      ? (parsed as UploadStatus)
      : PENDING_STATUS;
  } catch {
    return PENDING_STATUS;
  }
}
