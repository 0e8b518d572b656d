// The host's end of a webview's core/channel: webview.postMessage and onDidReceiveMessage made
// into a Port. Disposing the channel stops listening (the panels keep it with their disposables).
import type * as vscode from 'vscode';
import { Channel, type Answers, type ChannelOptions, type Sides } from '../core/channel';

export function hostChannel<S extends Sides>(
  webview: vscode.Webview,
  handlers: { note(note: S['webview']['notes']): void; answer: Answers<S['webview']> },
  options: Omit<ChannelOptions<S['host']>, 'peer'> = {},
): Channel<S['host'], S['webview']> {
  return new Channel<S['host'], S['webview']>({
    // A hidden webview drops what it is sent; each panel replays what matters on `ready`.
    post: (message) => { void webview.postMessage(message); },
    listen: (receive) => {
      const subscription = webview.onDidReceiveMessage(receive);
      return () => subscription.dispose();
    },
  }, handlers, { peer: 'the webview', ...options });
}
