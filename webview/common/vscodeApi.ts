// The webview side of postMessage, typed by the message unions of core/.
declare function acquireVsCodeApi(): { postMessage(msg: unknown): void; getState(): unknown; setState(s: unknown): void };

const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;

export function post<T>(msg: T): void {
  api?.postMessage(msg);
}

/** View state (zoom, selection, open panels) kept by VS Code across hide/show. */
export function getViewState<T>(): T | undefined {
  return api?.getState() as T | undefined;
}

export function setViewState<T>(state: T): void {
  api?.setState(state);
}

export function onMessage<T>(handler: (msg: T) => void): () => void {
  const listener = (e: MessageEvent) => handler(e.data as T);
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}
