// Retries a webview's bundle and stylesheet when they fail to load. VS Code serves webview
// files through a service worker; a panel restored right after "Developer: Reload Window"
// can ask for them before that worker answers, and the requests fail (status 0; seen for the
// diagram panel in code-server, cf. microsoft/vscode#89038), which left the panel blank.
// The script goes into <head> before the <link>: load errors do not bubble, but a capturing
// listener on window sees them, so the page keeps its plain render-blocking <link> and
// <script type="module">. Each retry uses a new URL (the browser remembers a failed module
// fetch by URL); after the last one the panel says what happened instead of staying blank.
// A stylesheet added by script does not hold back the first paint, so after a failed one
// the page may show a frame unstyled until the retry lands (the graph re-fits on resize).

/** Milliseconds to wait before each retry; about 14 s in all (on a busy CI machine the diagram panel needed 4 tries). */
export const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 4000, 6000];

/** The text of a nonce'd inline <script> placed in <head> before the stylesheet. */
export function loaderScript(delays: readonly number[] = RETRY_DELAYS_MS): string {
  return `(${LOADER})(${JSON.stringify(delays)});`;
}

// Plain ES2020 that runs in the webview; kept as text because it is inlined, not bundled.
const LOADER = `function (delays) {
  const nonce = document.currentScript.nonce;
  const tries = new Map();
  window.addEventListener('error', (event) => {
    const el = event.target;
    const isScript = el instanceof HTMLScriptElement && el.src;
    if (!isScript && !(el instanceof HTMLLinkElement && el.rel === 'stylesheet')) return;
    const url = (isScript ? el.src : el.href).replace(/[?&]attempt=\\d+$/, '');
    const n = tries.get(url) || 0;
    const parent = el.parentNode;
    el.remove();
    if (n >= delays.length) {
      if (!isScript) return;
      const root = document.getElementById('root');
      root.setAttribute('role', 'alert');
      root.style.cssText = 'padding: 16px; font-family: var(--vscode-font-family); color: var(--vscode-errorForeground);';
      root.textContent = 'This panel could not load its script from the extension (' + url.split('/').pop() + '). Close the panel and open it again; if that does not help, reload the window.';
      return;
    }
    tries.set(url, n + 1);
    const next = url + (url.includes('?') ? '&' : '?') + 'attempt=' + (n + 1);
    console.warn('Multi-Task Studio: ' + url.split('/').pop() + ' did not load; trying again (' + (n + 1) + ' of ' + delays.length + ')');
    setTimeout(() => {
      const again = isScript
        ? Object.assign(document.createElement('script'), { type: el.type, nonce, src: next })
        : Object.assign(document.createElement('link'), { rel: 'stylesheet', href: next });
      parent.appendChild(again);
    }, delays[n]);
  }, true);
}`;
