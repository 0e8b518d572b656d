// Where a data source may read from: inside the experiment's workspace folder, or inside a
// folder the user allowed (the multiTaskStudio.allowedDataFolders setting, `mts --allow-path`).
// An experiment file is shared like code (a cloned repository, a pasted example), so its data
// path must not be able to read /proc/self/environ, ~/.ssh or /etc/shadow and echo them back
// in a message. Every loader resolves its path here, before it opens anything; real paths are
// compared, so neither `..` nor a symbolic link leads out.
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from './errors';

export interface DataFolders {
  /** Folder that relative data paths are resolved against (the experiment file's folder). */
  workspaceDir: string;
  /**
   * Folders data may be read from: the experiment's workspace folder and those the user
   * allowed. Default: workspaceDir alone.
   */
  allowedRoots?: string[];
}

export type DataPathKind = 'file' | 'folder';

const SOURCE_PATH = ['data', 'source', 'path'];

/**
 * The real path of a data file or folder named in the spec, after checking that it lies inside
 * an allowed folder; a DataError at `at` (default data.source.path) otherwise. Reads no byte of
 * the file: only its name, its link targets and its kind (file or folder).
 */
export function confineDataPath(file: unknown, kind: DataPathKind, folders: DataFolders, at: (string | number)[] = SOURCE_PATH): string {
  const field = at.join('.');
  if (typeof file !== 'string' || file.trim() === '') {
    throw new DataError(`${field} is empty: name the data ${kind}, relative to the experiment file.`, at);
  }
  const roots = allowedRoots(folders);
  const full = path.resolve(folders.workspaceDir, file);
  const outside = (how: string): DataError => new DataError(
    `${field} '${file}' ${how} outside the folders data may be read from (${roots.map((r) => r.given).join(', ')}). ` +
    'Move the data into the workspace, or allow its folder: the setting multiTaskStudio.allowedDataFolders, or `mts --allow-path DIR`.', at);
  const lexicallyInside = roots.some((r) => isInside(r.given, full));
  let real: string;
  try {
    real = fs.realpathSync(full);
  } catch {
    // A missing path outside is refused as outside: whether it exists is not the spec's business.
    if (!lexicallyInside) throw outside('is');
    throw new DataError(`Data ${kind} '${file}' not found (looked for ${full}).`, at);
  }
  if (!roots.some((r) => r.real !== undefined && isInside(r.real, real))) {
    throw outside(lexicallyInside ? 'leads through a symbolic link to a place' : 'is');
  }
  const stat = fs.statSync(real);
  if (kind === 'file' && !stat.isFile()) throw new DataError(`${field}: '${file}' is not a file (${full}).`, at);
  if (kind === 'folder' && !stat.isDirectory()) throw new DataError(`${field}: '${file}' is not a folder (${full}).`, at);
  return real;
}

/** Each allowed folder as given (for messages and the lexical check) and as its real path (undefined when it does not exist). */
function allowedRoots(folders: DataFolders): { given: string; real: string | undefined }[] {
  const given = folders.allowedRoots && folders.allowedRoots.length > 0 ? folders.allowedRoots : [folders.workspaceDir];
  return given.map((g) => {
    const abs = path.resolve(folders.workspaceDir, g);
    let real: string | undefined;
    try { real = fs.realpathSync(abs); } catch { real = undefined; }
    return { given: abs, real };
  });
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
