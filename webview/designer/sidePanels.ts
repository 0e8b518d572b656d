// The side panels (palette, inspector) in a narrow designer. At 800 px of webview the two
// panels left the canvas ~396 px and no example opened whole: between the one-column layout
// (designer.css, up to 760 px, where the palette is a strip and the inspector sits under the
// canvas) and NARROW_MAX_PX, the panels are collapsed unless the user opened them there, and
// the canvas takes the width. The toolbar's toggles open them; the workspace remembers which
// (DesignerPanels' narrow flags), apart from the wide designer's, so a panel opened in a split
// editor does not cover the canvas of the next narrow one, nor a wide one lose its panels.
import { useEffect, useState } from 'react';
import type { DesignerPanels } from '../../src/core/designerProtocol';

/** The widest webview whose side panels start collapsed (an editor beside the side bar in a 1400 px window is ~1050 px: panels shown). */
export const NARROW_MAX_PX = 960;
/** The one-column layout's widest webview (designer.css `max-width: 760px`): its own strip and panel, shown by the wide flags. */
export const ONE_COLUMN_MAX_PX = 760;
const NARROW_QUERY = `(min-width: ${ONE_COLUMN_MAX_PX + 1}px) and (max-width: ${NARROW_MAX_PX}px)`;

export type PanelName = 'palette' | 'inspector';
export interface ShownPanels { palette: boolean; inspector: boolean }

/** Whether the webview is narrow now (NARROW_QUERY), following resizes. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW_QUERY);
    const changed = (): void => setNarrow(query.matches);
    query.addEventListener('change', changed);
    changed();
    return () => query.removeEventListener('change', changed);
  }, []);
  return narrow;
}

/** The panels shown at this width. */
export function shownPanels(p: DesignerPanels, narrow: boolean): ShownPanels {
  return narrow ? { palette: p.narrowPalette, inspector: p.narrowInspector } : { palette: p.palette, inspector: p.inspector };
}

/** `p` with `panel` shown (or hidden) at this width, the other width's flags kept. */
export function withPanel(p: DesignerPanels, narrow: boolean, panel: PanelName, open: boolean): DesignerPanels {
  const key = narrow ? (panel === 'palette' ? 'narrowPalette' : 'narrowInspector') : panel;
  return p[key] === open ? p : { ...p, [key]: open };
}
