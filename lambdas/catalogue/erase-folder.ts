import type { Catalogue } from '../adapters/catalogue-store';
import { type DeleteImageDeps, deleteRecordedImage } from './delete-image';

// Records read per page while erasing: each is a whole image to delete.
const ERASE_PAGE = 100;

/**
 * Erases every image under `folder` (recursive) of `client`, each whole as a delete of one of its
 * keys would: its bytes first, its record last. Resumable by construction: a repeated erase
 * finds only what is left. Answers how many images went; `hooks.onDeleted` hears of each as it
 * goes, and `hooks.stopping` ends the erase early (before the next image) when it says so.
 */
export async function eraseFolder(
  deps: DeleteImageDeps & { readonly catalogue: Catalogue },
  client: string,
  folder: string,
  hooks: { readonly onDeleted?: () => Promise<void>; readonly stopping?: () => boolean } = {},
): Promise<number> {
  let deleted = 0;
  for (;;) {
    if (hooks.stopping?.()) return deleted;
    const page = await deps.catalogue.listImages({ client, folder, recursive: true, limit: ERASE_PAGE });
    for (const record of page.records) {
      if (hooks.stopping?.()) return deleted;
      // Counted only when this erase removed the record: two erases at once count each image once.
      if (!(await deleteRecordedImage(deps, record)).recorded) continue;
      deleted += 1;
      await hooks.onDeleted?.();
    }
    if (page.records.length === 0 || page.next === undefined) return deleted;
  }
}
