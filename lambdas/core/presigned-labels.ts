import { parseFolder, parseTags } from './image-labels';

/** The signed headers that carry a presigned upload's folder and tags to the check (tags hold no comma). */
export function presignedLabelHeaders(item: {
  readonly folder: string;
  readonly tags?: readonly string[] | undefined;
}): Record<string, string> {
  return {
    ...(item.folder !== '' && { 'x-amz-meta-folder': item.folder }),
    ...(item.tags !== undefined && item.tags.length > 0 && { 'x-amz-meta-tags': item.tags.join(',') }),
  };
}

/** The folder and tags a presigned upload was signed with, read back from its S3 metadata. */
export function presignedLabelsOf(metadata: Readonly<Record<string, string>>): {
  folder: string;
  tags?: string[] | undefined;
} {
  return {
    folder: parseFolder(metadata.folder),
    tags: metadata.tags === undefined ? undefined : parseTags(metadata.tags.split(',')),
  };
}
