// Colours from VS Code's theme variables, read at runtime (canvas drawing cannot use CSS
// variables directly), and a hook that re-reads them when the user switches themes.
import { useEffect, useState } from 'react';
import { TASK_COLOR_NAMES, type ChartColorName } from '../../src/core/taskColors';

export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  font: string;
  /** --vscode-charts-* by name (core/taskColors gives each task its name). */
  charts: Record<ChartColorName, string>;
  /** A high-contrast theme (dark or light: VS Code gives both the class): no colour is faded. */
  highContrast: boolean;
}

/** VS Code's dark-theme chart colours, only for when a variable is missing. */
const FALLBACK: Record<ChartColorName, string> = {
  blue: '#3794ff', orange: '#d18616', green: '#89d185', purple: '#b180d7', yellow: '#cca700', red: '#f14c4c',
};

export function chartTheme(): ChartTheme {
  const family = cssVar('--vscode-font-family', 'sans-serif');
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#999999'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', '#80808040')),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    font: `11px ${family}`,
    charts: Object.fromEntries(TASK_COLOR_NAMES.map((c) => [c, cssVar(`--vscode-charts-${c}`, FALLBACK[c])])) as Record<ChartColorName, string>,
    highContrast: document.body.classList.contains('vscode-high-contrast'),
  };
}

/** Colour with an alpha, from #rgb / #rrggbb / rgb() as themes give them. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  if (/^#[0-9a-f]{3}$/i.test(c)) return withAlpha(`#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}`, alpha);
  if (/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(c)) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const m = /^rgba?\(([^)]+)\)$/.exec(c);
  if (m) {
    const [r, g, b] = m[1]!.split(/[\s,/]+/);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return c;
}

/** A counter that changes when VS Code switches the theme (body class / html style change). */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1));
    observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    return () => observer.disconnect();
  }, []);
  return version;
}
