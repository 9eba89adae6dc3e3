import type { Api } from './api';
import { byId, formatBytes, h } from './dom';

/** One image as the listing gives it: today's fields, and the catalogue's when it answers them. */
export interface ImageItem {
  readonly key: string;
  readonly url: string;
  readonly size: number;
  readonly contentType?: string;
  readonly lastModified?: string;
  readonly createdAt?: string;
  readonly filename?: string;
  readonly folder?: string;
  readonly tags?: readonly string[];
  readonly metadata?: Readonly<Record<string, string>>;
  readonly width?: number;
  readonly height?: number;
  readonly profile?: string;
  readonly source?: string;
  readonly profiles?: Readonly<Record<string, { readonly key: string; readonly url: string }>>;
}

/** The listing's filters, as `GET /objects` takes them (empty ones are left out; `tag` repeated). */
export interface ListQuery {
  readonly folder?: string | undefined;
  readonly tag?: readonly string[] | undefined;
  readonly [name: string]: string | readonly string[] | undefined;
}

// The API's own default page: a first screen of 100 thumbnails in one request.
const PAGE_SIZE = '100';

/** A person's name for an image: its filename when known, else the last part of its key. */
export const nameOf = (item: ImageItem) => item.filename || item.key.slice(item.key.lastIndexOf('/') + 1);

/** A square thumbnail made at the CDN: small, cropped to fill, in the best format the browser takes. */
export const thumbnailOf = (item: ImageItem) => `${item.url}?w=256&h=256&fit=cover&format=auto`;

/**
 * The grid and the table of one listing, fed a page at a time from the API's cursors as the
 * end of the list scrolls into view; remembers which images are selected.
 */
export class Gallery {
  readonly selected = new Set<string>();
  private items: ImageItem[] = [];
  private cursor: string | undefined;
  private query: ListQuery = {};
  private loading = false;
  private generation = 0;
  private readonly grid = byId<HTMLUListElement>('grid');
  private readonly tableBody = byId<HTMLTableSectionElement>('table-body');
  private readonly loadMoreButton = byId<HTMLButtonElement>('load-more');
  private readonly end = byId('list-end');
  private readonly error = byId('list-error');

  constructor(
    private readonly api: Api,
    private readonly open: (item: ImageItem) => void,
    private readonly onSelection: () => void,
  ) {
    this.loadMoreButton.addEventListener('click', () => void this.loadMore());
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void this.loadMore();
    }).observe(this.loadMoreButton);
  }

  /** Starts the listing over with these filters. */
  async reset(query: ListQuery): Promise<void> {
    this.generation += 1;
    this.query = query;
    this.items = [];
    this.cursor = undefined;
    this.selected.clear();
    this.grid.replaceChildren();
    this.tableBody.replaceChildren();
    this.loading = false;
    this.onSelection();
    await this.loadMore(true);
  }

  /** Fetches and shows the next page, if there is one and none is on its way. */
  async loadMore(first = false): Promise<void> {
    if (this.loading || (!first && this.cursor === undefined)) return;
    this.loading = true;
    const generation = this.generation;
    this.error.textContent = '';
    try {
      const page = await this.api.request<{ items: ImageItem[]; cursor?: string }>('GET', '/objects', {
        query: { ...this.query, limit: PAGE_SIZE, cursor: this.cursor },
      });
      if (generation !== this.generation) return;
      this.items.push(...page.items);
      this.cursor = page.cursor;
      for (const item of page.items) this.append(item);
      this.showEnd();
    } catch (err) {
      if (generation === this.generation)
        this.error.textContent = `The images could not be listed: ${(err as Error).message}`;
      throw err;
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  /** Says where the listing ends: nothing here, more to come, or how many there are. */
  private showEnd(): void {
    this.loadMoreButton.hidden = this.cursor === undefined;
    this.end.textContent =
      this.items.length === 0 ? 'No images here yet.' : this.cursor ? '' : `${this.items.length} images.`;
  }

  /** The images listed so far, in the order they are shown. */
  listed(): readonly ImageItem[] {
    return this.items;
  }

  /** The selected images, in the order they are shown. */
  selectedItems(): ImageItem[] {
    return this.items.filter((item) => this.selected.has(item.key));
  }

  /** Takes images off the page once they are deleted. */
  remove(keys: readonly string[]): void {
    const gone = new Set(keys);
    this.items = this.items.filter((item) => !gone.has(item.key));
    for (const key of keys) {
      this.selected.delete(key);
      for (const row of document.querySelectorAll(`[data-key="${CSS.escape(key)}"]`)) row.remove();
    }
    this.showEnd();
    this.onSelection();
  }

  private checkboxFor(item: ImageItem): HTMLInputElement {
    const checkbox = h('input', {
      type: 'checkbox',
      'aria-label': `Select ${nameOf(item)}`,
      onchange: (event) => {
        const checked = (event.target as HTMLInputElement).checked;
        if (checked) this.selected.add(item.key);
        else this.selected.delete(item.key);
        for (const other of document.querySelectorAll<HTMLInputElement>(
          `[data-key="${CSS.escape(item.key)}"] input[type=checkbox]`,
        ))
          other.checked = checked;
        this.onSelection();
      },
    });
    return checkbox;
  }

  private append(item: ImageItem): void {
    const name = nameOf(item);
    const isVideo = item.contentType?.startsWith('video/');
    this.grid.append(
      h(
        'li',
        { class: 'card', 'data-key': item.key },
        h(
          'button',
          { type: 'button', class: 'thumb', 'aria-label': `Open ${name}`, onclick: () => this.open(item) },
          isVideo
            ? h('span', { class: 'video-mark' }, 'MP4')
            : h('img', {
                src: thumbnailOf(item),
                alt: '',
                loading: 'lazy',
                decoding: 'async',
                width: 256,
                height: 256,
              }),
        ),
        h(
          'div',
          { class: 'card-foot' },
          this.checkboxFor(item),
          h('span', { class: 'name', title: name }, name),
        ),
      ),
    );
    const created = item.createdAt ?? item.lastModified;
    this.tableBody.append(
      h(
        'tr',
        { 'data-key': item.key },
        h('td', {}, this.checkboxFor(item)),
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => this.open(item) }, name)),
        h('td', {}, item.contentType ?? ''),
        h('td', {}, formatBytes(item.size)),
        h('td', {}, created ? new Date(created).toLocaleString() : ''),
      ),
    );
  }
}
