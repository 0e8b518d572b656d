// The first rows of a csv/jsonl data source, for the designer's Data panel. Only files
// inside a workspace folder are read (a document from an untrusted repository must not
// make the designer display arbitrary files), and only the first 64 KiB of them.
import * as vscode from 'vscode';
import type { DataPreview } from '../../core/designerProtocol';
import { previewRows } from './previewRows';

const MAX_BYTES = 64 * 1024;

export async function readDataPreview(documentUri: vscode.Uri, relativePath: string): Promise<DataPreview> {
  const fail = (message: string): DataPreview => ({ ok: false, path: relativePath, message });
  if (!relativePath.trim()) return fail('No file named yet.');
  const uri = vscode.Uri.joinPath(documentUri, '..', relativePath);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || documentUri.scheme !== uri.scheme) return fail('The file is outside the workspace, so it is not previewed.');
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return fail(`No file at ${relativePath} (relative to the experiment file).`);
  }
  const text = new TextDecoder().decode(bytes.subarray(0, MAX_BYTES));
  return { path: relativePath, ...previewRows(text, relativePath.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'csv') };
}
