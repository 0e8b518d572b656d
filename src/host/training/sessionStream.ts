// The stream of one training session, kept by the host for as long as a panel may show it.
// A webview loses whatever is posted while it is hidden or reloading, so it is never fed
// incrementally alone: when it says `ready` it gets the whole stream (replay), then each new
// event; sequence numbers let it ignore an event it already has. No vscode import.
import type { SequencedEvent, SessionEvent } from '../../core/panelProtocol';

export type StreamListener = (item: SequencedEvent) => void;

export class SessionStream {
  private readonly items: SequencedEvent[] = [];
  private readonly listeners = new Set<StreamListener>();
  private nextSeq = 1;

  append(event: SessionEvent): SequencedEvent {
    const item = { seq: this.nextSeq++, event };
    this.items.push(item);
    for (const l of [...this.listeners]) l(item);
    return item;
  }

  /** Everything so far, in order (a copy: the caller may post it while more arrives). */
  snapshot(): SequencedEvent[] {
    return this.items.slice();
  }

  get length(): number {
    return this.items.length;
  }

  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
