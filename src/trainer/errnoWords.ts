// A file-system error in words a user reads, with its code, for the CLI and the export's messages.

/** "no such file or folder (ENOENT)"; an error without a code as its text. */
export function errnoWords(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder', EISDIR: 'it is a folder, not a file', ENOTDIR: 'a part of the path is a file, not a folder',
    EACCES: 'permission denied', EPERM: 'not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left on the device',
  };
  return code ? `${words[code] ?? 'cannot access it'} (${code})` : String(err);
}
