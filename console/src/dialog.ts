// Confirmation and input dialogs (a native <dialog>, outside the page
// content, so a live re-render never wipes what the user is typing).
import { h, type Child } from './dom.js';

export interface Field {
  name: string;
  label: string;
  type: 'number' | 'checkbox' | 'select' | 'text' | 'textarea';
  value?: string | number | boolean;
  options?: string[];
  /** May be left empty (text fields are required otherwise). */
  optional?: boolean;
}

export interface DialogSpec {
  title: string;
  body?: Child;
  fields?: Field[];
  confirm: string;
  /** Destructive: the confirm button is red. */
  danger?: boolean;
  /** Runs on confirm; a thrown error is shown in the dialog, which stays open. */
  run(values: Record<string, string | boolean>): Promise<void>;
}

export function openDialog(spec: DialogSpec): void {
  const error = h('p', { class: 'error', role: 'alert' });
  const inputs = (spec.fields ?? []).map((f) => ({ f, el: input(f) }));
  const ok = h('button', { type: 'submit', class: spec.danger ? 'danger' : 'primary', 'data-action': 'confirm' }, spec.confirm);
  const cancel = h('button', { type: 'button', 'data-action': 'cancel' }, 'Cancel');
  const form = h('form', { method: 'dialog' },
    h('h3', {}, spec.title), spec.body,
    inputs.map(({ f, el }) => h('label', { class: f.type === 'checkbox' ? 'check' : 'field' }, f.type === 'checkbox' ? [el, ' ', f.label] : [f.label, el])),
    error, h('div', { class: 'buttons' }, cancel, ok));
  const dlg = h('dialog', { class: 'shoal-dialog' }, form);
  const close = (): void => {
    dlg.close();
    dlg.remove();
  };
  cancel.addEventListener('click', close);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values: Record<string, string | boolean> = {};
    for (const { f, el } of inputs) values[f.name] = f.type === 'checkbox' ? (el as HTMLInputElement).checked : (el as HTMLInputElement).value;
    ok.disabled = true;
    error.textContent = '';
    spec.run(values).then(close, (err: unknown) => {
      ok.disabled = false;
      error.textContent = err instanceof Error ? err.message : String(err);
    });
  });
  document.body.appendChild(dlg);
  dlg.showModal();
}

function input(f: Field): HTMLElement {
  if (f.type === 'select') {
    return h('select', { name: f.name }, (f.options ?? []).map((o) => h('option', { value: o, selected: o === f.value }, o)));
  }
  if (f.type === 'checkbox') return h('input', { type: 'checkbox', name: f.name, checked: f.value === true });
  const value = f.value === undefined ? '' : String(f.value);
  if (f.type === 'textarea') {
    const t = h('textarea', { name: f.name, rows: 6, spellcheck: false, required: f.optional !== true });
    t.value = value;
    return t;
  }
  return h('input', { type: f.type, name: f.name, value, required: f.optional !== true, ...(f.type === 'number' ? { min: 0, step: 1 } : {}) });
}

/** A button that opens a dialog. */
export function action(label: string, spec: () => DialogSpec, attrs: { danger?: boolean; name?: string } = {}): HTMLElement {
  return h('button', { type: 'button', class: attrs.danger ? 'danger small' : 'small', 'data-action': attrs.name ?? label, onclick: () => openDialog(spec()) }, label);
}
