// The webview side of postMessage: view state, and this page's end of its core/channel
// (acquireVsCodeApi().postMessage out, window `message` events in).
import { useEffect, useMemo, useRef } from 'react';
import { Channel, ChannelError, type Answers, type ChannelOptions, type NoRequests, type ParamsOf, type ReplyOf, type Sides } from '../../src/core/channel';

declare function acquireVsCodeApi(): { postMessage(msg: unknown): void; getState(): unknown; setState(s: unknown): void };

const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;

/** View state (zoom, selection, open panels) kept by VS Code across hide/show. */
export function getViewState<T>(): T | undefined {
  return api?.getState() as T | undefined;
}

export function setViewState<T>(state: T): void {
  api?.setState(state);
}

/** What a page sends the host: notes, and requests that resolve to their reply or fail with a ChannelError. */
export interface HostLink<S extends Sides> {
  notify(note: S['webview']['notes']): void;
  request<K extends keyof S['webview']['requests'] & string>(method: K, params: ParamsOf<S['webview'], K>): Promise<ReplyOf<S['webview'], K>>;
}

/**
 * This component's channel to the host, open from its first effect until it unmounts (so an
 * effect declared after this hook may already send `ready`). Notes from the host go to the
 * latest `onNote`. The host asks the pages nothing, so they answer no requests.
 */
export function useHost<S extends Sides & { host: { requests: NoRequests } }>(
  onNote: (note: S['host']['notes']) => void,
  options: Omit<ChannelOptions<S['webview']>, 'peer'> = {},
): HostLink<S> {
  const channel = useRef<Channel<S['webview'], S['host']>>(undefined);
  const handler = useRef(onNote);
  handler.current = onNote;
  const optionsOnce = useRef(options);
  useEffect(() => {
    // `{}` answers every request of NoRequests; the cast only helps TypeScript through the generic.
    const opened = new Channel<S['webview'], S['host']>(windowPort, { note: (n) => handler.current(n), answer: {} as Answers<S['host']> }, { peer: 'the host', ...optionsOnce.current });
    channel.current = opened;
    return () => { channel.current = undefined; opened.dispose(); };
  }, []);
  return useMemo(() => ({
    notify: (note) => channel.current?.notify(note),
    request: (method, params) => channel.current?.request(method, params)
      ?? Promise.reject(new ChannelError(method, 'closed', `"${method}" was not sent: the page is not connected to the host.`)),
  }), []);
}

const windowPort = {
  post: (message: unknown): void => api?.postMessage(message),
  listen: (receive: (message: unknown) => void): (() => void) => {
    const listener = (e: MessageEvent): void => receive(e.data);
    window.addEventListener('message', listener);
    return () => window.removeEventListener('message', listener);
  },
};
