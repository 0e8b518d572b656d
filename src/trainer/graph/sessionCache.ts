// The last graph session a step let go of, kept for the next step made from the same graph (the
// same network, optimizer and options in the same process: a loop run again on one model, the
// bench's warm-up before its timed run). TensorFlow's first run of a graph, where Grappler
// rewrites it and the executor is set up, costs 0.23-0.28 s of CPU on the bench's LSTM graph
// (618 nodes) besides 0.02 s to load it: more than Keras' whole epoch of 64 steps there.
// One idle session at most (a different graph closes it), and a session in use is never handed
// out twice: the variables are the session's. Whoever takes it runs `set` first, which assigns
// every variable (weights, optimizer slots) before a step reads one.
import type { Tf } from '../backend';
import { openSession, type GraphSession } from './session';
import type { GrapplerMode } from './sessionConfig';

let idle: { savedModel: Uint8Array; asked: GrapplerMode; session: GraphSession } | undefined;

// The same bytes object (graphCache.ts) needs no comparing.
const same = (a: Uint8Array, b: Uint8Array) => a === b || a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

/** A session of this graph: the idle one if it holds the same graph opened alike, else a new one; `dispose` keeps it idle. */
export function openReusableSession(tf: Tf, savedModel: Uint8Array, grappler: GrapplerMode = 'on'): GraphSession {
  let session: GraphSession;
  if (idle && idle.asked === grappler && same(idle.savedModel, savedModel)) {
    session = idle.session;
    idle = undefined;
  } else {
    // Another graph's idle session would only be closed when this one is let go: closed now,
    // a run's next phase (a baseline's graph) does not hold the last phase's session as well.
    closeIdleSession();
    session = openSession(tf, savedModel, grappler);
  }
  let released = false;
  return {
    run: (feeds, values, fetches) => session.run(feeds, values, fetches),
    prepare: (feeds, fetches, keepLast) => session.prepare(feeds, fetches, keepLast),
    grappler: session.grappler,
    dispose() {
      if (released) return;
      released = true;
      idle?.session.dispose();
      idle = { savedModel, asked: grappler, session };
    },
  };
}

/** Closes the idle session, if any (a test that must see the graph loaded again). */
export function closeIdleSession(): void {
  idle?.session.dispose();
  idle = undefined;
}
