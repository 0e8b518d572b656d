// Runs elk when the graph's structure changes (not when a setting changes) and places the
// nodes: saved positions first, elk's otherwise.
import ELK from 'elkjs/lib/elk.bundled.js';
import { useEffect, useMemo, useState } from 'react';
import { autoLayout, groupNodes, layoutKey, placeNodes, type LayoutGroup, type Point } from './layout';
import type { DesignModel } from './model';

// elk.bundled runs in this thread (no worker: the CSP allows none, and 100 nodes take milliseconds).
const elk = new ELK();

export function useLayout(model: DesignModel): { groups: LayoutGroup[]; positions: Map<string, Point>; ready: boolean } {
  const groups = useMemo(() => groupNodes(model), [model]);
  const key = useMemo(() => layoutKey(model, groups), [model, groups]);
  const [computed, setComputed] = useState<{ key: string; positions: Map<string, Point> }>({ key: '', positions: new Map() });
  useEffect(() => {
    let current = true;
    autoLayout(elk, model, groups)
      .then((positions) => { if (current) setComputed({ key, positions }); })
      .catch((error: unknown) => { console.error('layout failed', error); if (current) setComputed({ key, positions: new Map() }); });
    return () => { current = false; };
    // Only a change of structure needs a new layout; `model` and `groups` are read at that moment.
  }, [key]);
  const positions = useMemo(() => placeNodes(model, computed.positions), [model, computed]);
  return { groups, positions, ready: computed.key === key };
}
