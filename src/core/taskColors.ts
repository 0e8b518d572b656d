// One colour scheme for tasks wherever the user sees them: designer, training panel,
// shared-weight diagram and the report's SVGs. Task i (its place in spec.tasks; outputs of
// undeclared tasks come after) gets VS Code chart colour i. "Shared" has no colour of its
// own, so no colour ever means both a task and sharing: it is drawn in the neutral colour
// with its tasks' colours as stripes (cards, blocks) or as a striped fill (bars, swatches),
// and says "shared" in words. Webviews use the theme's variables (light, dark, high
// contrast); files shown outside any theme use VS Code's default light-theme values.

/** Red last: on a designer card it would also read as an error. */
export const TASK_COLOR_NAMES = ['blue', 'orange', 'green', 'purple', 'yellow', 'red'] as const;
export type ChartColorName = (typeof TASK_COLOR_NAMES)[number];

/** The chart colour of the task at `index`; past six tasks the colours repeat. */
export function taskColorName(index: number): ChartColorName {
  const n = TASK_COLOR_NAMES.length;
  return TASK_COLOR_NAMES[((index % n) + n) % n]!;
}

/** CSS for a webview: follows the theme. */
export function chartColorVar(name: ChartColorName): string {
  return `var(--vscode-charts-${name})`;
}

export function taskColorVar(index: number): string {
  return chartColorVar(taskColorName(index));
}

/** Shared blocks' frame and charts that are not per task (total loss, learning rate). */
export const NEUTRAL_VAR = 'var(--vscode-foreground)';

/** VS Code's default light theme (charts.*), for SVG files shown outside any theme (report.md). */
export const LIGHT_THEME_HEX: Record<ChartColorName | 'foreground', string> = {
  foreground: '#616161', blue: '#1a85ff', orange: '#d18616', green: '#388a34', purple: '#652d90', yellow: '#bf8803', red: '#e51400',
};

export function taskColorHex(index: number): string {
  return LIGHT_THEME_HEX[taskColorName(index)];
}

export const NEUTRAL_HEX = LIGHT_THEME_HEX.foreground;

/** Width of one task's stripe on the edge of a shared card or block. */
export const STRIPE_PX = 5;

/**
 * A fill for something shared that is too small for edge stripes (a bar, a swatch): narrow
 * diagonal bands of its tasks' colours, so it never looks like one task's solid fill.
 */
export function sharedFill(colors: readonly string[], band = 4): string {
  if (colors.length < 2) return colors[0] ?? NEUTRAL_VAR;
  const stops = colors.map((c, i) => `${c} ${i * band}px ${(i + 1) * band}px`).join(', ');
  return `repeating-linear-gradient(135deg, ${stops})`;
}

/**
 * How a curve is drawn, its colour being its task's (or neutral): the model variant by the
 * line (shared model solid, single-task baseline dashed), the split by weight (train thin
 * and lighter, validation thick: the one to read).
 */
export const CURVE_STYLE = {
  baselineDash: [6, 4] as const,
  train: { width: 1, alpha: 0.55 },
  validation: { width: 2, alpha: 1 },
};
