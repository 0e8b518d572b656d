import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Debounce, DisposableStore, SerialDisposable } from '../../../src/host/disposables';

/** A disposable that writes its name into `log` each time it is disposed. */
const named = (log: string[], name: string, fail = false) => ({
  dispose: () => {
    log.push(name);
    if (fail) throw new Error(`${name} failed`);
  },
});

describe('DisposableStore', () => {
  it('disposes what it holds once, newest first', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    const first = store.add(named(log, 'watcher'));
    store.add(named(log, 'listener'));
    assert.equal(typeof first.dispose, 'function', 'add returns the item');
    store.dispose();
    store.dispose();
    assert.deepEqual(log, ['listener', 'watcher']);
    assert.equal(store.isDisposed, true);
  });

  it('disposes at once what is added after it was disposed (a late registration cannot leak)', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.dispose();
    store.add(named(log, 'late'));
    assert.deepEqual(log, ['late']);
  });

  it('disposes the others when one throws, then rethrows the first error', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(named(log, 'a'));
    store.add(named(log, 'b', true));
    store.add(named(log, 'c', true));
    assert.throws(() => store.dispose(), /c failed/);
    assert.deepEqual(log, ['c', 'b', 'a']);
  });

  it('delete disposes one item now and only once', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    const item = store.add(named(log, 'panel'));
    store.delete(item);
    store.dispose();
    assert.deepEqual(log, ['panel']);
  });
});

describe('SerialDisposable', () => {
  it('disposes the previous value when replaced, the current one with itself, a late one at once', () => {
    const log: string[] = [];
    const serial = new SerialDisposable();
    serial.value = named(log, 'old folders');
    serial.value = named(log, 'new folders');
    assert.deepEqual(log, ['old folders']);
    serial.dispose();
    assert.deepEqual(log, ['old folders', 'new folders']);
    serial.value = named(log, 'after');
    assert.deepEqual(log, ['old folders', 'new folders', 'after']);
  });
});

describe('Debounce', () => {
  const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('runs only the last of a burst', async () => {
    const log: string[] = [];
    const reloads = new Debounce(0);
    for (const n of ['a', 'b', 'c']) reloads.run(() => log.push(n));
    await settled();
    assert.deepEqual(log, ['c']);
  });

  it('runs nothing once disposed: a closed panel does not reload', async () => {
    const log: string[] = [];
    const reloads = new Debounce(0);
    reloads.run(() => log.push('pending'));
    reloads.dispose();
    reloads.run(() => log.push('late'));
    await settled();
    assert.deepEqual(log, []);
  });
});
