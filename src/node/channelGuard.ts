// Bytes on a child's IPC channel that are not a message (a native library printing to fd 3, a
// message cut short) make Node's channel parser throw inside its read callback: an uncaught
// exception in the parent (the extension host, or `mts train`, whose detached trainer was then
// left running with nobody to end it), the rest of that read lost and the parser's buffer left
// stale, so no later message can be trusted. The read callback is wrapped so that such bytes
// reach the owner of the child (who ends it) instead. Every parent of an IPC child uses it: the
// host's trainer (host/trainerProcess.ts), the host's exporter (host/export/exportProcess.ts)
// and the CLI's supervisor (trainer/trainSupervisor.ts); so it lives here, where both node-side
// layers may import it. The handle is Node's own (the pipe behind `child.channel`, under the
// symbol kChannelHandle, with its `onread`, in lib/internal/child_process.js); a runtime without
// them is left as it was. Checked by running its tests on Node 20.20.2 only; the same symbol and
// `onread` were read in the source of Node 16 to 22 (harden3, not run on those).
import type { ChildProcess } from 'node:child_process';

/**
 * A one-line description of the channel's fault, for the user (no stack): `who` wrote the
 * bytes, `what` it was doing was stopped.
 */
export function channelFaultMessage(err: unknown, who = 'the trainer', what = 'the run'): string {
  // The parser quotes the bytes it read: control characters would break the line.
  const why = [...(err instanceof Error ? err.message : String(err))].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('');
  return `${who} sent bytes that are not a message on its channel (${why.length > 160 ? `${why.slice(0, 160)}…` : why}); ${what} was stopped, and what it wrote so far is kept`;
}

/** Calls `onFault` (once) with the parser's error when the child writes bytes that are not a message. */
export function guardChannel(child: ChildProcess, onFault: (err: unknown) => void): void {
  const key = Object.getOwnPropertySymbols(child).find((k) => k.description === 'kChannelHandle');
  const channel = key ? (child as unknown as Record<symbol, { onread?: unknown } | null | undefined>)[key] : undefined;
  const read = channel?.onread;
  if (!channel || typeof read !== 'function') return;
  let faulted = false;
  channel.onread = function guardedRead(this: unknown, ...args: unknown[]): unknown {
    try {
      return (read as (...a: unknown[]) => unknown).apply(this, args);
    } catch (err) {
      // Messages are emitted on a later tick (process.nextTick): what throws here is the parser,
      // never a listener. The fault is told on a tick queued after them, so the messages read
      // before the bad bytes in the same read still reach their listeners; later reads' come after it.
      if (!faulted) process.nextTick(onFault, err);
      faulted = true;
      return undefined;
    }
  };
}
