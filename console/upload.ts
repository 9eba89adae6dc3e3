import { type Api, ApiError } from './api';

/** What an upload ends with: the image's public URL and key, or the reason it was refused. */
export type UploadOutcome =
  | { readonly kind: 'published'; readonly key: string; readonly url: string }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string };

/** Where an upload goes and what is said about it (the catalogue's labels; empty ones are not sent). */
export interface UploadLabels {
  readonly folder?: string;
  readonly tags?: readonly string[];
}

interface PresignPutAnswer {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly statusPath: string;
}

type UploadStatus =
  | { readonly status: 'pending' }
  | { readonly status: 'published'; readonly key: string; readonly url: string }
  | { readonly status: 'refused'; readonly error: string; readonly message: string };

// How often a presigned upload's outcome is asked for, and for how long at most.
const STATUS_POLL_MS = 400;
const STATUS_POLL_LIMIT = 300;

/**
 * Sends a body with XMLHttpRequest, the one browser API that reports upload progress;
 * resolves with the status and text of the answer (network failure: status 0).
 */
function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: XMLHttpRequestBodyInit,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    // The browser sets Content-Length itself from the body (and refuses to be told it).
    for (const [name, value] of Object.entries(headers))
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, text: '' });
    xhr.send(body);
  });
}

const readAsDataUri = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () =>
      reject(new ApiError(0, 'UNREADABLE_FILE', `the browser could not read ${file.name}`));
    reader.readAsDataURL(file);
  });

function refusalOf(status: number, text: string): ApiError {
  if (status === 0) return new ApiError(0, 'NETWORK', 'the upload could not reach the server');
  try {
    const body = JSON.parse(text) as { error?: string; message?: string };
    return new ApiError(status, body.error ?? `HTTP_${status}`, body.message ?? `answered ${status}`);
  } catch {
    return new ApiError(status, `HTTP_${status}`, `the server answered ${status}`);
  }
}

const labelsOf = (labels: UploadLabels) => ({
  ...(labels.folder && { folder: labels.folder }),
  ...(labels.tags && labels.tags.length > 0 && { tags: labels.tags }),
});

/** Base64 in one JSON request: files below the direct limit. */
async function uploadDirect(api: Api, file: File, labels: UploadLabels, onProgress: (f: number) => void) {
  const image = await readAsDataUri(file);
  const body = JSON.stringify({ image, filename: file.name, ...labelsOf(labels) });
  const headers = { 'x-api-key': api.key, 'content-type': 'application/json' };
  const answer = await send('POST', api.urlOf('/uploads'), headers, body, onProgress);
  if (answer.status !== 200 && answer.status !== 201) throw refusalOf(answer.status, answer.text);
  const published = JSON.parse(answer.text) as { key: string; url: string };
  return { kind: 'published', key: published.key, url: published.url } as const;
}

/** A presigned PUT straight to storage, then the check's outcome: files above the direct limit. */
async function uploadPresigned(api: Api, file: File, labels: UploadLabels, onProgress: (f: number) => void) {
  const presigned = await api.request<PresignPutAnswer>('POST', '/presign', {
    json: {
      method: 'PUT',
      // The bytes decide the type server-side; this only has to be one the signer accepts.
      contentType: file.type || 'application/octet-stream',
      contentLength: file.size,
      filename: file.name,
      ...labelsOf(labels),
    },
  });
  const put = await send('PUT', presigned.url, presigned.headers, file, onProgress);
  if (put.status !== 200)
    throw new ApiError(
      put.status,
      'STORAGE_REFUSED',
      `storage refused the upload (${put.status || 'no answer'})`,
    );
  for (let attempt = 0; attempt < STATUS_POLL_LIMIT; attempt += 1) {
    const status = await api.request<UploadStatus>('GET', presigned.statusPath);
    if (status.status === 'published')
      return { kind: 'published', key: status.key, url: status.url } as const;
    if (status.status === 'refused') throw new ApiError(422, status.error, status.message);
    await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
  }
  throw new ApiError(
    0,
    'CHECK_TIMEOUT',
    'the uploaded file was not checked in time; look for it in the grid later',
  );
}

/**
 * Uploads one file: base64 when it fits the direct limit, a presigned PUT above it. A refusal
 * (an SVG, a broken file, a wrong key) comes back as an outcome with the API's own words.
 */
export async function uploadFile(
  api: Api,
  file: File,
  labels: UploadLabels,
  onProgress: (fraction: number) => void,
): Promise<UploadOutcome> {
  try {
    return file.size <= api.config.directUploadMaxBytes
      ? await uploadDirect(api, file, labels, onProgress)
      : await uploadPresigned(api, file, labels, onProgress);
  } catch (err) {
    if (err instanceof ApiError) return { kind: 'refused', code: err.code, message: err.message };
    throw err;
  }
}
