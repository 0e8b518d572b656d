// One typed channel between the host and a webview, over postMessage both ways. Two kinds of
// message: a note (one-way, a member of the sender's `type` union, on the wire as it is) and a
// request, which gets exactly one reply: its value, or an error, or a timeout with a clear
// message, so a webview never waits for ever on a reply that was dropped or never sent.
// Requests carry an id the reply names; the ids of each channel start with a tag of their own,
// because a webview that reloads makes a new channel while the host's stays, and a reply meant
// for the old page must not be taken for an answer to the new page's request of the same number.
// Both sides use this class through a thin adapter that makes a `Port` of their postMessage.

/** What one side sends: its notes (a union switched on `type`) and the requests it may make. */
export interface Side<Notes extends { type: string }, Requests extends RequestTypes<Requests>> {
  notes: Notes;
  requests: Requests;
}

/** Request name -> what it carries and what its reply holds (both plain data, for postMessage). */
export type RequestTypes<R> = { [K in keyof R]: { params: unknown; reply: unknown } };

/** For a side that asks nothing. */
export type NoRequests = Record<never, never>;
/** For a request that carries nothing: sent as `{}`. */
export type NoParams = Record<never, never>;

/** The two sides of one webview's channel: what the host sends, what the webview sends. */
export interface Sides { host: AnySide; webview: AnySide }

type AnySide = { notes: { type: string }; requests: object };
type Method<S extends AnySide> = keyof S['requests'] & string;
export type ParamsOf<S extends AnySide, K extends Method<S>> = S['requests'][K] extends { params: infer P } ? P : never;
export type ReplyOf<S extends AnySide, K extends Method<S>> = S['requests'][K] extends { reply: infer R } ? R : never;

/** How the other side's requests are answered: a value (or a promise of one); a throw becomes an error reply. */
export type Answers<S extends AnySide> = { [K in Method<S>]: (params: ParamsOf<S, K>) => ReplyOf<S, K> | Promise<ReplyOf<S, K>> };

/** The two message types the channel reserves on the wire; notes must not use them. */
export const REQUEST = '$request';
export const REPLY = '$reply';

export interface WireRequest { type: typeof REQUEST; id: string; method: string; params: unknown }
export type WireReply =
  | { type: typeof REPLY; id: string; ok: true; value: unknown }
  | { type: typeof REPLY; id: string; ok: false; error: string };

/** One side's postMessage, made into something the channel can send with and listen on. */
export interface Port {
  post(message: unknown): void;
  /** Calls `receive` with each message from the other side; returns what stops it. */
  listen(receive: (message: unknown) => void): () => void;
}

/** setTimeout and clearTimeout, passed in so that tests can run a timeout without waiting for it. */
export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Long enough for any answer computed from what the host holds; slow requests set their own. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ChannelOptions<Mine extends AnySide> {
  /** Who answers, for messages: "the host", "the designer". */
  peer: string;
  /** Per request, when the default does not fit (a data summary reads the whole data set). */
  timeoutMs?: { [K in Method<Mine>]?: number };
  timers?: Timers;
  /** Start of this channel's request ids; random unless a test sets it. */
  tag?: string;
}

/** Why a request got no value: no reply in time, an error reply, or the channel was closed. */
export class ChannelError extends Error {
  constructor(readonly method: string, readonly reason: 'timeout' | 'failed' | 'closed', message: string) {
    super(message);
    this.name = 'ChannelError';
  }
}

interface Pending { method: string; resolve(value: unknown): void; reject(error: ChannelError): void; timer: unknown }

const realTimers: Timers = { set: (run, ms) => setTimeout(run, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/** `Mine` is what this side sends, `Theirs` what it receives. */
export class Channel<Mine extends AnySide, Theirs extends AnySide> {
  private readonly pending = new Map<string, Pending>();
  private readonly tag: string;
  private readonly timers: Timers;
  private readonly stop: () => void;
  private count = 0;
  private closed = false;

  constructor(
    private readonly port: Port,
    private readonly handlers: { note(note: Theirs['notes']): void; answer: Answers<Theirs> },
    private readonly options: ChannelOptions<Mine>,
  ) {
    this.tag = options.tag ?? Math.random().toString(36).slice(2, 10);
    this.timers = options.timers ?? realTimers;
    this.stop = port.listen((message) => this.receive(message));
  }

  notify(note: Mine['notes']): void {
    if (!this.closed) this.port.post(note);
  }

  request<K extends Method<Mine>>(method: K, params: ParamsOf<Mine, K>): Promise<ReplyOf<Mine, K>> {
    if (this.closed) return Promise.reject(new ChannelError(method, 'closed', `"${method}" was not sent: the view is closed.`));
    const id = `${this.tag}-${++this.count}`;
    const ms = this.options.timeoutMs?.[method] ?? DEFAULT_TIMEOUT_MS;
    return new Promise<ReplyOf<Mine, K>>((resolve, reject) => {
      const timer = this.timers.set(() => {
        this.pending.delete(id);
        reject(new ChannelError(method, 'timeout', `${capitalized(this.options.peer)} did not answer "${method}" within ${seconds(ms)}.`));
      }, ms);
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      const message: WireRequest = { type: REQUEST, id, method, params };
      try {
        this.port.post(message);
      } catch (error) {
        this.pending.delete(id);
        this.timers.clear(timer);
        reject(new ChannelError(method, 'failed', `"${method}" could not be sent to ${this.options.peer}: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
  }

  /** Stops listening; requests still waiting fail as closed (their replies could not arrive). */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    for (const p of this.pending.values()) {
      this.timers.clear(p.timer);
      p.reject(new ChannelError(p.method, 'closed', `No answer to "${p.method}": the view was closed.`));
    }
    this.pending.clear();
  }

  private receive(message: unknown): void {
    if (this.closed || typeof message !== 'object' || message === null) return;
    const { type, id, method } = message as { type?: unknown; id?: unknown; method?: unknown };
    if (type === REPLY) {
      if (typeof id === 'string') this.settle(message as WireReply);
    } else if (type === REQUEST) {
      if (typeof id === 'string' && typeof method === 'string') void this.answer(message as WireRequest);
    } else if (typeof type === 'string') {
      this.handlers.note(message as Theirs['notes']);
    }
  }

  private settle(reply: WireReply): void {
    const p = this.pending.get(reply.id);
    // A late reply (after its timeout) or one meant for the page before a reload: nobody waits for it.
    if (!p) return;
    this.pending.delete(reply.id);
    this.timers.clear(p.timer);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new ChannelError(p.method, 'failed', `${capitalized(this.options.peer)} could not answer "${p.method}": ${reply.error}`));
  }

  private async answer(req: WireRequest): Promise<void> {
    const answers = this.handlers.answer as Record<string, ((params: unknown) => unknown) | undefined>;
    const handler = Object.prototype.hasOwnProperty.call(answers, req.method) ? answers[req.method] : undefined;
    let reply: WireReply;
    try {
      if (!handler) throw new Error(`there is no request "${req.method}".`);
      reply = { type: REPLY, id: req.id, ok: true, value: await handler(req.params) };
    } catch (error) {
      reply = { type: REPLY, id: req.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (!this.closed) this.port.post(reply);
  }
}

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
