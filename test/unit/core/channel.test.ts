import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Channel, ChannelError, REPLY, type Answers, type NoRequests, type Port, type Side, type Timers } from '../../../src/core/channel';

// A small protocol of the same shape as the designer's: the page asks, the host answers.
interface PageRequests {
  square: { params: { n: number }; reply: { n: number; square: number } };
  weight: { params: { name: string }; reply: { values: number[] } };
}
type Host = Side<{ type: 'document'; version: number }, NoRequests>;
type Page = Side<{ type: 'ready' } | { type: 'train' }, PageRequests>;

/** Both ends of a postMessage wire: each message is structured-cloned and delivered on a later microtask, as postMessage does. */
function wire(): { host: Port; page: Port; sent: unknown[] } {
  const sent: unknown[] = [];
  const listeners = { host: new Set<(m: unknown) => void>(), page: new Set<(m: unknown) => void>() };
  const end = (me: 'host' | 'page', other: 'host' | 'page'): Port => ({
    post: (message) => {
      sent.push(message);
      const copy = structuredClone(message);
      queueMicrotask(() => listeners[other].forEach((l) => l(copy)));
    },
    listen: (receive) => { listeners[me].add(receive); return () => listeners[me].delete(receive); },
  });
  return { host: end('host', 'page'), page: end('page', 'host'), sent };
}

/** Timers that run only when the test says so. */
function manualTimers(): Timers & { waiting(): number[]; fireAll(): void } {
  const due = new Map<number, { run: () => void; ms: number }>();
  let next = 0;
  return {
    set: (run, ms) => { due.set(++next, { run, ms }); return next; },
    clear: (h) => { due.delete(h as number); },
    waiting: () => [...due.values()].map((t) => t.ms),
    fireAll: () => { const all = [...due.values()]; due.clear(); all.forEach((t) => t.run()); },
  };
}

/** Resolves when the given promise settles, with what it settled to. */
const settled = <T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> => p.then((value) => ({ value }), (error: unknown) => ({ error }));
const ticks = async (n = 5): Promise<void> => { for (let i = 0; i < n; i++) await Promise.resolve(); };

function pair(answer: Answers<Page>, options: { timers?: Timers; tag?: string; timeoutMs?: { weight?: number } } = {}) {
  const w = wire();
  const hostNotes: Page['notes'][] = [];
  const pageNotes: Host['notes'][] = [];
  const host = new Channel<Host, Page>(w.host, { note: (n) => hostNotes.push(n), answer }, { peer: 'the designer' });
  const page = new Channel<Page, Host>(w.page, { note: (n) => pageNotes.push(n), answer: {} }, { peer: 'the host', ...options });
  return { host, page, hostNotes, pageNotes, sent: w.sent, w };
}

const square = ({ n }: { n: number }) => ({ n, square: n * n });

test('notes go one way, typed, on the wire as they are', async () => {
  const { host, page, hostNotes, pageNotes, sent } = pair({ square, weight: () => ({ values: [] }) });
  page.notify({ type: 'ready' });
  host.notify({ type: 'document', version: 3 });
  await ticks();
  assert.deepEqual(hostNotes, [{ type: 'ready' }]);
  assert.deepEqual(pageNotes, [{ type: 'document', version: 3 }]);
  assert.deepEqual(sent, [{ type: 'ready' }, { type: 'document', version: 3 }], 'no envelope around a note');
});

test('a request gets its reply; each request has its own id, starting with the channel tag', async () => {
  const { page, sent } = pair({ square, weight: () => ({ values: [1] }) }, { tag: 'p1' });
  assert.deepEqual(await page.request('square', { n: 3 }), { n: 3, square: 9 });
  assert.deepEqual(await page.request('weight', { name: 'k' }), { values: [1] });
  const ids = sent.filter((m) => (m as { type: string }).type === '$request').map((m) => (m as { id: string }).id);
  assert.deepEqual(ids, ['p1-1', 'p1-2']);
  const replies = sent.filter((m) => (m as { type: string }).type === REPLY).map((m) => (m as { id: string }).id);
  assert.deepEqual(replies, ['p1-1', 'p1-2'], 'each reply names its request');
});

test('replies that come back out of order each settle their own request', async () => {
  const gates = new Map<number, () => void>();
  const { page } = pair({
    square: ({ n }) => new Promise((resolve) => gates.set(n, () => resolve(square({ n })))),
    weight: () => ({ values: [] }),
  });
  const first = page.request('square', { n: 2 });
  const second = page.request('square', { n: 5 });
  await ticks();
  gates.get(5)!(); // the host answers the second request first
  assert.deepEqual(await second, { n: 5, square: 25 });
  gates.get(2)!();
  assert.deepEqual(await first, { n: 2, square: 4 });
});

test('no reply in time: the request fails with a clear timeout error, and a late reply is ignored', async () => {
  const timers = manualTimers();
  let answerLate: (() => void) | undefined;
  const { page } = pair({
    square: () => new Promise(() => undefined), // never answered
    weight: () => new Promise((resolve) => { answerLate = () => resolve({ values: [7] }); }),
  }, { timers, timeoutMs: { weight: 90_000 } });
  const silent = settled(page.request('square', { n: 1 }));
  const slow = settled(page.request('weight', { name: 'dense/kernel' }));
  await ticks();
  assert.deepEqual(timers.waiting().sort((a, b) => a - b), [30_000, 90_000], 'the default, and the one set for weight');
  timers.fireAll();
  const a = await silent;
  assert.ok(a.error instanceof ChannelError);
  assert.equal(a.error.reason, 'timeout');
  assert.equal(a.error.message, 'The host did not answer "square" within 30 s.');
  const b = await slow;
  assert.ok(b.error instanceof ChannelError);
  assert.equal(b.error.message, 'The host did not answer "weight" within 90 s.');
  answerLate!(); // the reply arrives after all: nobody waits for it, nothing throws
  await ticks();
  assert.equal(timers.waiting().length, 0);
});

test('a reply clears its timer', async () => {
  const timers = manualTimers();
  const { page } = pair({ square, weight: () => ({ values: [] }) }, { timers });
  await page.request('square', { n: 4 });
  assert.deepEqual(timers.waiting(), []);
});

test('an answer that throws becomes an error reply; an unknown request is refused by name', async () => {
  const { page, w } = pair({
    square,
    weight: ({ name }) => { throw new Error(`${name} is not in the saved model.`); },
  });
  const failed = await settled(page.request('weight', { name: 'head/bias' }));
  assert.ok(failed.error instanceof ChannelError);
  assert.equal(failed.error.reason, 'failed');
  assert.equal(failed.error.message, 'The host could not answer "weight": head/bias is not in the saved model.');
  // A page built from another version of the protocol asks for something the host does not know.
  const replies: unknown[] = [];
  w.page.listen((m) => replies.push(m));
  w.page.post({ type: '$request', id: 'x-1', method: 'cube', params: { n: 2 } });
  w.page.post({ type: '$request', id: 'x-2', method: 'toString', params: {} });
  await ticks();
  assert.deepEqual(replies, [
    { type: REPLY, id: 'x-1', ok: false, error: 'there is no request "cube".' },
    { type: REPLY, id: 'x-2', ok: false, error: 'there is no request "toString".' },
  ]);
});

test('a reply meant for the page before a reload is not taken for the new page\'s request of the same number', async () => {
  const gates: Array<() => void> = [];
  const w = wire();
  new Channel<Host, Page>(w.host, { note: () => undefined, answer: {
    square: ({ n }) => new Promise((resolve) => gates.push(() => resolve(square({ n })))),
    weight: () => ({ values: [] }),
  } }, { peer: 'the designer' });
  const before = new Channel<Page, Host>(w.page, { note: () => undefined, answer: {} }, { peer: 'the host', tag: 'old' });
  const lost = settled(before.request('square', { n: 2 }));
  await ticks();
  before.dispose(); // the webview reloads: its page and channel are gone, the host's stays
  const after = new Channel<Page, Host>(w.page, { note: () => undefined, answer: {} }, { peer: 'the host', tag: 'new' });
  const asked = after.request('square', { n: 9 });
  await ticks();
  gates[0]!(); // the old page's answer arrives first
  await ticks();
  gates[1]!();
  assert.deepEqual(await asked, { n: 9, square: 81 });
  assert.equal(((await lost).error as ChannelError).reason, 'closed');
});

test('two channels made without a tag use different ids', () => {
  const sent: unknown[] = [];
  const port: Port = { post: (m) => sent.push(m), listen: () => () => undefined };
  const a = new Channel<Page, Host>(port, { note: () => undefined, answer: {} }, { peer: 'the host' });
  const b = new Channel<Page, Host>(port, { note: () => undefined, answer: {} }, { peer: 'the host' });
  void settled(a.request('square', { n: 1 }));
  void settled(b.request('square', { n: 1 }));
  const [x, y] = sent as Array<{ id: string }>;
  assert.notEqual(x!.id, y!.id);
  a.dispose();
  b.dispose();
});

test('dispose fails the requests still waiting, stops their timers and stops listening', async () => {
  const timers = manualTimers();
  const { page, pageNotes, host } = pair({ square: () => new Promise(() => undefined), weight: () => ({ values: [] }) }, { timers });
  const waiting = settled(page.request('square', { n: 1 }));
  page.dispose();
  const r = await waiting;
  assert.ok(r.error instanceof ChannelError);
  assert.equal(r.error.reason, 'closed');
  assert.equal(r.error.message, 'No answer to "square": the view was closed.');
  assert.deepEqual(timers.waiting(), []);
  host.notify({ type: 'document', version: 2 });
  await ticks();
  assert.deepEqual(pageNotes, []);
  const after = await settled(page.request('square', { n: 1 }));
  assert.equal((after.error as ChannelError).reason, 'closed');
});

test('a request that cannot be posted fails at once, saying why', async () => {
  const timers = manualTimers();
  const port: Port = { post: () => { throw new Error('Webview is disposed'); }, listen: () => () => undefined };
  const page = new Channel<Page, Host>(port, { note: () => undefined, answer: {} }, { peer: 'the host', timers });
  const r = await settled(page.request('square', { n: 1 }));
  assert.equal((r.error as ChannelError).reason, 'failed');
  assert.equal((r.error as Error).message, '"square" could not be sent to the host: Webview is disposed');
  assert.deepEqual(timers.waiting(), []);
});

test('messages that are not the channel\'s are ignored', async () => {
  const { hostNotes, w } = pair({ square, weight: () => ({ values: [] }) });
  const replies: unknown[] = [];
  w.page.listen((m) => replies.push(m));
  for (const junk of [null, 'ready', 42, { kind: 'ready' }, { type: 7 }, { type: REPLY, id: 'nobody-1', ok: true, value: 1 }, { type: '$request', method: 'square', params: { n: 1 } }]) w.page.post(junk);
  await ticks();
  assert.deepEqual(hostNotes, []);
  assert.deepEqual(replies, [], 'a request without an id gets no reply');
});
