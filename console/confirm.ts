import { byId } from './dom';

/** Asks before something that cannot be undone; with `typed`, the person must type it to confirm. */
export function confirmDanger(text: string, okLabel: string, typed?: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm');
  const input = byId<HTMLInputElement>('confirm-typed');
  const ok = byId<HTMLButtonElement>('confirm-ok');
  byId('confirm-text').textContent = text;
  ok.textContent = okLabel;
  byId('confirm-typed-label').hidden = typed === undefined;
  input.value = '';
  ok.disabled = typed !== undefined;
  input.oninput = () => {
    ok.disabled = input.value !== typed;
  };
  dialog.returnValue = '';
  dialog.showModal();
  (typed === undefined ? byId('confirm-cancel') : input).focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}
