// The one output channel of the extension.
import * as vscode from 'vscode';

let channel: vscode.OutputChannel | undefined;

export function output(): vscode.OutputChannel {
  channel ??= vscode.window.createOutputChannel('Multi-Task Studio');
  return channel;
}
