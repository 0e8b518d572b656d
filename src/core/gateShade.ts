// The one colour scale of gate heatmaps (report SVG and diagram webview): a gate weight in
// [0, 1] as the opacity of one hue over the background, so light, dark and high-contrast
// themes all read it; the text on a cell turns light where the cell is dark.
export const GATE_HUE = '#1f77b4';

/** Opacity of a cell for gate weight `w` (clamped to [0, 1]). */
export const gateOpacity = (w: number): number => Math.max(0, Math.min(1, Number.isFinite(w) ? w : 0));

/** Whether text on the cell should be light (the cell is dark). */
export const gateTextLight = (w: number): boolean => gateOpacity(w) > 0.55;
