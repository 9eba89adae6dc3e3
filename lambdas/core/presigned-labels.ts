import { parseFolder, parseTags } from './image-labels';
import { decodeStoredMetadata, storedMetadataHeaders } from './stored-metadata';

/** The signed headers that carry a presigned upload's folder and tags to the check (tags hold no comma). */
export function presignedLabelHeaders(item: {
  readonly folder: string;
  readonly tags?: readonly string[] | undefined;
}): Record<string, string> {
  return storedMetadataHeaders({ folder: item.folder === '' ? undefined : item.folder, tags: item.tags });
}

/** The folder and tags a presigned upload was signed with, read back from its S3 metadata. */
export function presignedLabelsOf(metadata: Readonly<Record<string, string>>): {
  folder: string;
  tags?: string[] | undefined;
} {
  const { folder, tags } = decodeStoredMetadata(metadata);
  return { folder: parseFolder(folder), tags: tags === undefined ? undefined : parseTags(tags) };
}
