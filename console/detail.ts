import { urlPromptBlocks } from '../lambdas/core/prompt-blocks';
import { estimateTokens } from '../lambdas/core/token-estimates';
import type { Api } from './api';
import { byId, formatBytes, h, splitTags } from './dom';
import { type ImageItem, nameOf } from './gallery';

const PROFILES = ['universal', 'anthropic', 'anthropic-hires', 'openai', 'gemini', 'original'] as const;

/** The path of an image's own resource: each key segment encoded, the slashes kept. */
export const objectPath = (key: string) => `/objects/${key.split('/').map(encodeURIComponent).join('/')}`;

/** What the detail view needs from the page around it. */
export interface DetailHost {
  readonly api: Api;
  /** Says something in the page's live region. */
  announce(message: string): void;
  /** Asks to delete these images (with the page's confirmation), answering whether they went. */
  deleteImages(items: readonly ImageItem[]): Promise<boolean>;
  /** Opens another image (a profile made from this one). */
  open(item: ImageItem): void;
}

/**
 * The detail dialog: the image large, what it is, tokens per provider, copy buttons for its URL,
 * a Markdown image and each prompt block; edit its tags and filename; another profile; a private link.
 */
export class DetailView {
  private readonly dialog = byId<HTMLDialogElement>('detail');
  private readonly body = byId('detail-body');
  private readonly title = byId('detail-title');

  constructor(private readonly host: DetailHost) {
    byId('detail-close').addEventListener('click', () => this.dialog.close());
  }

  async show(listed: ImageItem): Promise<void> {
    this.title.textContent = nameOf(listed);
    this.body.replaceChildren(h('p', {}, 'Loading…'));
    if (!this.dialog.open) this.dialog.showModal();
    let item: ImageItem = listed;
    try {
      item = { ...listed, ...(await this.host.api.request<ImageItem>('GET', objectPath(listed.key))) };
    } catch (err) {
      this.body.replaceChildren(
        h('p', { class: 'error', role: 'alert' }, `This image could not be read: ${(err as Error).message}`),
      );
      return;
    }
    this.title.textContent = nameOf(item);
    this.body.replaceChildren(...this.render(item));
  }

  private copyButton(label: string, text: string): HTMLButtonElement {
    return h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(text);
            this.host.announce(`Copied: ${label}`);
          } catch {
            this.host.announce(`The browser did not allow copying ${label}`);
          }
        },
      },
      `Copy ${label}`,
    );
  }

  private render(item: ImageItem): Node[] {
    const contentType = item.contentType ?? 'image/jpeg';
    const blocks = urlPromptBlocks(item.url, contentType);
    const tokens = item.width && item.height ? estimateTokens(item.width, item.height) : undefined;
    const facts: [string, string | undefined][] = [
      ['Dimensions', item.width && item.height ? `${item.width} × ${item.height} px` : undefined],
      ['Type', item.contentType],
      ['Size', formatBytes(item.size)],
      ['Profile', item.profile],
      ['Folder', item.folder],
      ['Source', item.source],
      ['Created', item.createdAt ?? item.lastModified],
      ['Key', item.key],
      ['Tokens, Anthropic', tokens && String(tokens.anthropic)],
      ['Tokens, OpenAI (detail high)', tokens && String(tokens.openai)],
      ['Tokens, Gemini', tokens && String(tokens.gemini)],
      ...Object.entries(item.metadata ?? {}).map(([name, value]): [string, string] => [
        `Metadata: ${name}`,
        value,
      ]),
    ];
    const isVideo = contentType.startsWith('video/');
    return [
      h(
        'div',
        { class: 'detail-grid' },
        isVideo
          ? h('video', { src: item.url, controls: true, class: 'large' })
          : h('img', { src: `${item.url}?w=1024&format=auto`, alt: nameOf(item), class: 'large' }),
        h(
          'dl',
          { class: 'facts' },
          ...facts
            .filter(([, value]) => value)
            .flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value!)]),
        ),
      ),
      h(
        'div',
        { class: 'copies', role: 'group', 'aria-label': 'Copy' },
        this.copyButton('URL', item.url),
        this.copyButton('Markdown', `![${nameOf(item).replace(/[[\]]/g, '')}](${item.url})`),
        this.copyButton('OpenAI Chat block', JSON.stringify(blocks.openaiChat, null, 2)),
        this.copyButton('OpenAI Responses block', JSON.stringify(blocks.openaiResponses, null, 2)),
        this.copyButton('Anthropic block', JSON.stringify(blocks.anthropic, null, 2)),
        this.copyButton('Gemini block', JSON.stringify(blocks.gemini, null, 2)),
      ),
      this.editForm(item),
      this.profilesPart(item),
      this.actions(item),
    ];
  }

  private editForm(item: ImageItem): HTMLFormElement {
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      {
        class: 'fields',
        'aria-label': 'Edit',
        onsubmit: async (event) => {
          event.preventDefault();
          const data = new FormData(form);
          const filename = String(data.get('filename')).trim();
          error.textContent = '';
          try {
            const saved = await this.host.api.request<ImageItem>('PATCH', objectPath(item.key), {
              json: {
                // An image without a filename keeps none unless one is typed (the key's tail is only a placeholder).
                ...(filename && { filename }),
                tags: splitTags(String(data.get('tags'))),
              },
            });
            this.host.announce('Saved');
            await this.show({ ...item, ...saved });
          } catch (err) {
            error.textContent = `Not saved: ${(err as Error).message}`;
          }
        },
      },
      h(
        'label',
        {},
        'Filename ',
        h('input', { name: 'filename', type: 'text', value: item.filename ?? '', placeholder: nameOf(item) }),
      ),
      h(
        'label',
        {},
        'Tags ',
        h('input', { name: 'tags', type: 'text', value: (item.tags ?? []).join(', ') }),
      ),
      h('button', { type: 'submit' }, 'Save'),
      error,
    );
    return form;
  }

  private profilesPart(item: ImageItem): HTMLElement {
    const error = h('p', { class: 'error', role: 'alert' });
    const select = h(
      'select',
      { name: 'fit', 'aria-label': 'Profile to make' },
      ...PROFILES.map((p) => h('option', {}, p)),
    );
    const made = Object.entries(item.profiles ?? {});
    return h(
      'section',
      { 'aria-label': 'Profiles', class: 'profiles' },
      h('h3', {}, 'Other profiles'),
      made.length
        ? h(
            'ul',
            {},
            ...made.map(([name, profile]) =>
              h('li', {}, h('a', { href: profile.url, target: '_blank', rel: 'noopener' }, name)),
            ),
          )
        : h('p', { class: 'muted' }, 'None listed.'),
      select,
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            error.textContent = '';
            try {
              const rendition = await this.host.api.request<ImageItem>('POST', '/renditions', {
                json: { key: item.key, fit: select.value },
              });
              this.host.announce(`Made the ${select.value} profile`);
              this.host.open(rendition);
            } catch (err) {
              error.textContent = `Not made: ${(err as Error).message}`;
            }
          },
        },
        'Make this profile',
      ),
      error,
    );
  }

  private actions(item: ImageItem): HTMLElement {
    const linkOut = h('p', { class: 'private-link' });
    return h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            try {
              const answer = await this.host.api.request<{ url: string; expiresAt: string }>(
                'POST',
                '/presign',
                {
                  json: { method: 'GET', key: item.key, expiresIn: 3600 },
                },
              );
              linkOut.replaceChildren(
                h('a', { href: answer.url, target: '_blank', rel: 'noopener' }, 'Private link'),
                ` (until ${new Date(answer.expiresAt).toLocaleString()}) `,
                this.copyButton('private link', answer.url),
              );
            } catch (err) {
              linkOut.textContent = `No private link: ${(err as Error).message}`;
            }
          },
        },
        'Make a private link',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: async () => {
            if (await this.host.deleteImages([item])) this.dialog.close();
          },
        },
        'Delete this image',
      ),
      linkOut,
    );
  }
}
