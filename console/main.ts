import { Api, ApiError, type ConsoleConfig, isRefusedKey } from './api';
import { DetailView, objectPath } from './detail';
import { confirmDanger } from './confirm';
import { byId, h, splitTags } from './dom';
import { Gallery, type ImageItem, type ListQuery } from './gallery';
import { showStats } from './stats';
import { uploadFile } from './upload';

// sessionStorage only: the key leaves with the tab, and is never in a URL, cookie or localStorage.
const KEY_STORAGE = 's3ip.apiKey';

let api: Api;
let gallery: Gallery;
let detail: DetailView;
let query: ListQuery = {};

const announce = (message: string) => {
  byId('status').textContent = message;
};

/** The key prompt; `reason` says why it is shown again (a refused key). */
function askForKey(reason = ''): void {
  sessionStorage.removeItem(KEY_STORAGE);
  byId('files').hidden = true;
  byId('forget-key').hidden = true;
  byId('key-screen').hidden = false;
  byId('key-error').textContent = reason;
  for (const dialog of document.querySelectorAll('dialog')) dialog.close();
  byId<HTMLInputElement>('key-input').focus();
}

/** Runs an API action; a refused key sends the person back to the key prompt. */
async function guarded<T>(action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    if (isRefusedKey(err)) askForKey('The API refused this key. Enter a valid API key.');
    else if (err instanceof ApiError) {
      byId('list-error').textContent = err.message;
      announce(err.message);
    } else throw err;
    return undefined;
  }
}

async function deleteImages(items: readonly ImageItem[]): Promise<boolean> {
  const count = items.length;
  const words = count === 1 ? 'this image' : `these ${count} images`;
  if (
    !(await confirmDanger(
      `Delete ${words}? Every profile and rendition of it goes too.`,
      `Delete ${count === 1 ? '1 image' : `${count} images`}`,
    ))
  )
    return false;
  const gone: string[] = [];
  for (const item of items) {
    const done = await guarded(async () => {
      await api.request('DELETE', objectPath(item.key));
      return true;
    });
    if (done) gone.push(item.key);
  }
  gallery.remove(gone);
  announce(
    gone.length === count
      ? `Deleted ${count === 1 ? '1 image' : `${count} images`}`
      : `Deleted ${gone.length} of ${count}`,
  );
  return gone.length === count;
}

async function eraseFolder(): Promise<void> {
  const folder = query.folder;
  if (!folder) return;
  if (
    !(await confirmDanger(
      `Erase the folder “${folder}” and every image under it? This cannot be undone.`,
      'Erase folder',
      folder,
    ))
  )
    return;
  await guarded(async () => {
    // A small folder is erased before the answer (200 {deleted}); a large one answers 202 with a
    // status path (`GET /erasures/{id}`) that says `done` once every image is gone.
    let answer = await api.request<{ deleted: number; status?: string; state?: string }>(
      'DELETE',
      '/objects',
      { query: { folder } },
    );
    while (answer.status && answer.state !== 'done') {
      announce(`Erasing ${folder}: ${answer.deleted} images deleted so far`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      answer = {
        ...answer,
        ...(await api.request<{ state: string; deleted: number }>('GET', answer.status)),
      };
    }
    announce(`Erased ${folder}: ${answer.deleted} images deleted`);
    setFolder('');
  });
}

function renderBreadcrumb(): void {
  const parts = (query.folder ?? '').split('/').filter(Boolean);
  const crumb = (label: string, folder: string, current: boolean) =>
    h(
      'li',
      {},
      current
        ? h('span', { 'aria-current': 'page' }, label)
        : h('button', { type: 'button', class: 'link', onclick: () => setFolder(folder) }, label),
    );
  byId('breadcrumb').replaceChildren(
    h(
      'ol',
      {},
      crumb('All folders', '', parts.length === 0),
      ...parts.map((part, i) => crumb(part, parts.slice(0, i + 1).join('/'), i === parts.length - 1)),
    ),
  );
  byId('erase-folder').hidden = parts.length === 0;
}

/** The folders one level below the current one that the listed images live in, as buttons. */
function renderSubfolders(): void {
  const here = query.folder ? `${query.folder}/` : '';
  const children = new Set<string>();
  for (const item of gallery.listed()) {
    const folder = item.folder ?? '';
    if (folder.startsWith(here) && folder.length > here.length)
      children.add(folder.slice(here.length).split('/')[0]!);
  }
  const nav = byId('subfolders');
  nav.hidden = children.size === 0;
  nav.replaceChildren(
    h('h3', {}, 'Subfolders'),
    h(
      'ul',
      {},
      ...[...children]
        .sort()
        .map((name) =>
          h(
            'li',
            {},
            h('button', { type: 'button', class: 'link', onclick: () => setFolder(here + name) }, name),
          ),
        ),
    ),
  );
}

function setFolder(folder: string): void {
  byId<HTMLInputElement>('find-form').querySelector<HTMLInputElement>('[name=folder]')!.value = folder;
  void refresh({ ...query, folder: folder || undefined });
}

async function refresh(next: ListQuery): Promise<void> {
  // Always the catalogue's listing (records with filename, tags, folder): everything under the folder.
  query = { ...next, recursive: 'true' };
  renderBreadcrumb();
  await guarded(async () => {
    await Promise.all([gallery.reset(query), showStats(api, query.folder)]);
    renderSubfolders();
  });
}

function queryOfForm(form: HTMLFormElement): ListQuery {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim() || undefined;
  const day = (name: string) => (text(name) ? new Date(`${text(name)}T00:00:00Z`).toISOString() : undefined);
  return {
    q: text('q'),
    tag: splitTags(String(data.get('tag') ?? '')),
    type: text('type'),
    source: text('source'),
    createdAfter: day('createdAfter'),
    createdBefore: day('createdBefore'),
    folder: text('folder'),
  };
}

async function uploadAll(files: readonly File[]): Promise<void> {
  const list = byId('uploads');
  const tags = splitTags(byId<HTMLInputElement>('upload-tags').value);
  let published = 0;
  await Promise.all(
    files.map(async (file) => {
      const progress = h('progress', { max: 1, value: 0, 'aria-label': `Progress of ${file.name}` });
      const outcome = h('span', { class: 'outcome' }, 'Uploading…');
      list.append(h('li', {}, h('span', { class: 'name' }, file.name), progress, outcome));
      const result = await uploadFile(api, file, { folder: query.folder, tags }, (fraction) => {
        progress.value = fraction;
      });
      if (result.kind === 'published') {
        progress.value = 1;
        outcome.textContent = 'Uploaded';
        published += 1;
      } else {
        outcome.textContent = `Refused: ${result.message}`;
        outcome.className = 'outcome error';
        outcome.setAttribute('role', 'alert');
        if (result.code === 'FORBIDDEN') askForKey('The API refused this key. Enter a valid API key.');
      }
    }),
  );
  announce(`${published} of ${files.length} uploaded`);
  if (published > 0) await refresh(query);
}

function wireFiles(): void {
  const form = byId<HTMLFormElement>('find-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void refresh(queryOfForm(form));
  });
  form.addEventListener('reset', () => setTimeout(() => void refresh({}), 0));
  const input = byId<HTMLInputElement>('file-input');
  input.addEventListener('change', () => {
    void uploadAll([...(input.files ?? [])]);
    input.value = '';
  });
  const zone = byId('drop-zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    void uploadAll([...(event.dataTransfer?.files ?? [])]);
  });
  const views = { grid: byId('view-grid'), table: byId('view-table') };
  for (const [name, button] of Object.entries(views)) {
    button.addEventListener('click', () => {
      views.grid.setAttribute('aria-pressed', String(name === 'grid'));
      views.table.setAttribute('aria-pressed', String(name === 'table'));
      byId('grid').hidden = name !== 'grid';
      byId('table').hidden = name !== 'table';
    });
  }
  byId('delete-selected').addEventListener('click', () => void deleteImages(gallery.selectedItems()));
  byId('erase-folder').addEventListener('click', () => void eraseFolder());
  byId('forget-key').addEventListener('click', () => askForKey());
}

async function openFiles(key: string): Promise<void> {
  const config = (await (await fetch('config.json', { cache: 'no-store' })).json()) as ConsoleConfig;
  api = new Api(config, key);
  const open = (item: ImageItem) => void guarded(() => detail.show(item));
  gallery = new Gallery(api, open, () => {
    const count = gallery.selected.size;
    const button = byId<HTMLButtonElement>('delete-selected');
    button.disabled = count === 0;
    button.textContent = count ? `Delete selected (${count})` : 'Delete selected';
  });
  detail = new DetailView({ api, announce, deleteImages, open });
  // One cheap call proves the key before anything is shown.
  await api.request('GET', '/objects', { query: { limit: '1' } });
  sessionStorage.setItem(KEY_STORAGE, key);
  byId('key-screen').hidden = true;
  byId('files').hidden = false;
  byId('forget-key').hidden = false;
  await refresh({});
}

function start(): void {
  wireFiles();
  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId<HTMLInputElement>('key-input');
    const key = input.value.trim();
    input.value = '';
    openFiles(key).catch((err: Error) => {
      askForKey(
        isRefusedKey(err)
          ? 'The API refused this key. Enter a valid API key.'
          : `The files could not be opened: ${err.message}`,
      );
    });
  });
  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) void guarded(() => openFiles(saved));
  else askForKey();
}

start();
