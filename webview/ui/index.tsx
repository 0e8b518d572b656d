// The React components of the component toolkit (@vscode/webview-ui-toolkit, deprecated
// upstream): everything else uses these, so the toolkit can be swapped here alone.
import { createElement, useCallback, useEffect, useRef, type ReactNode } from 'react';

/**
 * The toolkit's web components are defined by toolkit.js, a bundle beside the page's own,
 * loaded when the page is first idle: evaluating the toolkit, defining its elements and
 * drawing the first of them took ~50-100 ms of a designer load, which the page's content
 * (the designer's graph) need not wait for. Until then its elements are hidden, not shown
 * as bare text, and a button keeps the box the toolkit gives it (its tokens' defaults: VS
 * Code's font size, normal line height, 4 px by 11 px of padding, a 1 px border): bare, the
 * toolbar was 3 px lower, the canvas 3 px taller until the toolkit came, and a graph framed
 * at the edge of the readable zoom opened with whole cards that turned compact a second later.
 */
function loadToolkit(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`:not(:defined) { visibility: hidden; }
    vscode-button:not(:defined) { display: inline-flex; font-size: var(--vscode-font-size, 13px); line-height: normal; padding: 4px 11px; border: 1px solid transparent; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  requestIdleCallback(() => {
    const lateLoad = catchLateLoadListeners();
    import(new URL('./toolkit.js', import.meta.url).href)
      .then(() => lateLoad.run())
      .catch((error: unknown) => console.error('The component toolkit did not load:', error))
      // Shown either way: bare text is better than nothing if the toolkit failed.
      .finally(() => { lateLoad.restore(); document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet); });
  }, { timeout: 1000 });
}

/**
 * The toolkit reads VS Code's theme variables, and starts watching for theme switches, in a
 * listener for the window's load event that it adds while being evaluated. Loaded once the
 * page is idle, it comes after that event: its controls kept their built-in dark palette in
 * every theme (dark text fields in the light theme). So while toolkit.js loads, a load
 * listener added after the event is kept and run once the module has been evaluated (all its
 * tokens created). Not a replayed load event: VS Code's webview host listens for that one.
 */
function catchLateLoadListeners(): { run(): void; restore(): void } {
  const add = window.addEventListener;
  const late: EventListenerOrEventListenerObject[] = [];
  window.addEventListener = function (this: Window, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
    if (type === 'load' && listener && document.readyState === 'complete') late.push(listener);
    else if (listener) add.call(this, type, listener, options);
  } as typeof window.addEventListener;
  return {
    run: () => {
      for (const listener of late.splice(0)) {
        const event = new Event('load');
        if (typeof listener === 'function') listener.call(window, event);
        else listener.handleEvent(event);
      }
    },
    restore: () => { window.addEventListener = add; },
  };
}
loadToolkit();

type El = HTMLElement & { value?: string; checked?: boolean };

/** Attaches a DOM event listener to a toolkit element (React does not know their events). */
function useEvent(ref: React.RefObject<El | null>, name: string, handler: ((el: El) => void) | undefined): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const listener = () => latest.current?.(el);
    el.addEventListener(name, listener);
    return () => el.removeEventListener(name, listener);
  }, [ref, name]);
}

interface Common { id?: string; className?: string; title?: string; 'aria-label'?: string; disabled?: boolean }

export function Button(p: Common & { appearance?: 'primary' | 'secondary' | 'icon'; onClick?: () => void; children?: ReactNode }) {
  const ref = useRef<El>(null);
  useEvent(ref, 'click', p.disabled ? undefined : () => p.onClick?.());
  return createElement('vscode-button', {
    ref, id: p.id, class: p.className, title: p.title, 'aria-label': p['aria-label'], appearance: p.appearance ?? 'primary',
    ...(p.disabled ? { disabled: true } : {}),
  }, p.children);
}

export function TextField(p: Common & {
  value: string; onChange: (value: string) => void; type?: 'text' | 'number'; placeholder?: string;
  invalid?: boolean; children?: ReactNode; size?: number;
}) {
  const ref = useRef<El>(null);
  useEvent(ref, 'input', (el) => p.onChange(el.value ?? ''));
  // The element owns its text while the user types; only push values that differ.
  useEffect(() => { if (ref.current && ref.current.value !== p.value) ref.current.value = p.value; }, [p.value]);
  return createElement('vscode-text-field', {
    ref, id: p.id, class: `${p.className ?? ''}${p.invalid ? ' invalid' : ''}`, title: p.title, placeholder: p.placeholder,
    'aria-label': p['aria-label'], 'aria-invalid': p.invalid ? 'true' : undefined, type: p.type ?? 'text', size: p.size,
    ...(p.disabled ? { disabled: true } : {}),
  }, p.children);
}

export function Dropdown(p: Common & { value: string; options: Array<{ value: string; label?: string }>; onChange: (value: string) => void }) {
  const ref = useRef<El>(null);
  // Only a change to another value: the toolkit's select also fires "change" on a plain key
  // press (Shift+Tab passing through it) after its value was set from here, which would
  // write an edit (an undo step) for nothing.
  useEvent(ref, 'change', (el) => { if ((el.value ?? '') !== p.value) p.onChange(el.value ?? ''); });
  useEffect(() => { if (ref.current && ref.current.value !== p.value) ref.current.value = p.value; }, [p.value, p.options]);
  return createElement('vscode-dropdown', {
    ref, id: p.id, class: p.className, title: p.title, 'aria-label': p['aria-label'], ...(p.disabled ? { disabled: true } : {}),
  }, p.options.map((o) => createElement('vscode-option', { key: o.value, value: o.value }, o.label ?? o.value)));
}

export function Checkbox(p: Common & { checked: boolean; onChange: (checked: boolean) => void; children?: ReactNode }) {
  const ref = useRef<El>(null);
  useEvent(ref, 'change', (el) => { if (el.checked !== p.checked) p.onChange(!!el.checked); });
  useEffect(() => { if (ref.current && ref.current.checked !== p.checked) ref.current.checked = p.checked; }, [p.checked]);
  return createElement('vscode-checkbox', { ref, id: p.id, class: p.className, title: p.title, 'aria-label': p['aria-label'] }, p.children);
}

export function Badge(p: Common & { children?: ReactNode }) {
  return createElement('vscode-badge', { id: p.id, class: p.className, title: p.title }, p.children);
}

export function Divider(p: Common) {
  return createElement('vscode-divider', { class: p.className, role: 'separator' });
}

/**
 * The toolkit's ring makes itself an assertive alert named "Loading" once connected: a screen
 * reader would break into what the user hears each time one appears. Once the toolkit has
 * upgraded it, it is set back to what it is, a progress bar (no value: indeterminate) with our name.
 */
export function ProgressRing(p: Common) {
  const label = p['aria-label'] ?? 'Working';
  const ref = useCallback((el: HTMLElement | null) => {
    if (!el) return;
    void customElements.whenDefined('vscode-progress-ring').then(() => {
      el.setAttribute('role', 'progressbar');
      el.removeAttribute('aria-live');
      el.setAttribute('aria-label', label);
    });
  }, [label]);
  return createElement('vscode-progress-ring', { ref, class: p.className, 'aria-label': label });
}

export function Link(p: Common & { href?: string; onClick?: () => void; children?: ReactNode }) {
  const ref = useRef<El>(null);
  useEvent(ref, 'click', () => p.onClick?.());
  return createElement('vscode-link', { ref, href: p.href ?? '#', class: p.className, title: p.title }, p.children);
}

/** Tabs: `tabs` labels with ids; `children` one panel per tab, in order. */
export function Tabs(p: Common & { tabs: Array<{ id: string; label: string }>; activeId?: string; children: ReactNode[] }) {
  return createElement('vscode-panels', { class: p.className, 'activeid': p.activeId ? `tab-${p.activeId}` : undefined },
    ...p.tabs.map((t) => createElement('vscode-panel-tab', { key: `t-${t.id}`, id: `tab-${t.id}` }, t.label)),
    ...p.children.map((c, i) => createElement('vscode-panel-view', { key: `v-${p.tabs[i]?.id ?? i}`, id: `view-${p.tabs[i]?.id ?? i}` }, c)));
}
