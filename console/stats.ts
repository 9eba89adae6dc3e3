import { type Api, isRefusedKey } from './api';
import { byId, formatBytes, h } from './dom';

/** The current folder's stats (`GET /stats`); a refused key is thrown, any other error said in the panel. */
export async function showStats(api: Api, folder: string | undefined): Promise<void> {
  const out = byId('stats');
  try {
    const stats = await api.request<{
      images: number;
      bytes: { served: number; originals: number };
      byContentType: Record<string, number>;
      bySource: Record<string, number>;
    }>('GET', '/stats', { query: { folder } });
    const counts = (record: Record<string, number>) =>
      Object.entries(record)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ') || 'none';
    out.replaceChildren(
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Images'),
        h('dd', {}, String(stats.images)),
        h('dt', {}, 'Bytes served'),
        h('dd', {}, formatBytes(stats.bytes.served)),
        h('dt', {}, 'Bytes of originals'),
        h('dd', {}, formatBytes(stats.bytes.originals)),
        h('dt', {}, 'By type'),
        h('dd', {}, counts(stats.byContentType)),
        h('dt', {}, 'By source'),
        h('dd', {}, counts(stats.bySource)),
      ),
    );
  } catch (err) {
    if (isRefusedKey(err)) throw err;
    out.replaceChildren(h('p', { class: 'muted' }, `No stats: ${(err as Error).message}`));
  }
}
