// WCAG 2 contrast, the one implementation of it in the harness (paintedContrast.ts' audit, for the
// designer, study view, training panel and diagram). Its measurements run inside page.evaluate
// closures, which cannot import: `installContrast` is self-contained, serialised into the page
// (contrastIn) where it sets `window.__mtsContrast`; Node's unit test calls the same function.
import type { Page } from 'playwright-core';

/** A colour as [red, green, blue] in 0-255 and its alpha in 0-1. */
export type Rgba = number[];

export interface Contrast {
  /** A computed CSS colour (`rgb()`, `rgba()`, `color(srgb …)`) or a canvas's `#rrggbb`; undefined for none, a pattern or another notation. */
  parse(c: string): Rgba | undefined;
  /** `top` painted over an opaque `bottom` (alpha compositing): opaque. */
  over(top: Rgba, bottom: Rgba): Rgba;
  /** Relative luminance of an opaque colour (WCAG 2). */
  luminance(c: Rgba): number;
  /** Contrast ratio of `paint`, translucent or not, painted on the opaque `bg`: 1 to 21. */
  ratio(paint: Rgba, bg: Rgba): number;
  /** An element's own background and its ancestors', translucent ones blended down to the first opaque one (white under all). */
  behind(el: Element): Rgba;
}

export function installContrast(): Contrast {
  const parse = (c: string): Rgba | undefined => {
    let m = /rgba?\(([^)]+)\)/.exec(c);
    if (m) { const v = m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number); return [v[0]!, v[1]!, v[2]!, v[3] ?? 1]; }
    m = /color\(srgb ([^)]+)\)/.exec(c);
    if (m) { const v = m[1]!.split(/[ /]+/).filter(Boolean).map(Number); return [v[0]! * 255, v[1]! * 255, v[2]! * 255, v[3] ?? 1]; }
    m = /^#([0-9a-f]{6})$/i.exec(c.trim());
    if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)).concat(1);
    return undefined;
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3]! + bottom[i]! * (1 - top[3]!)).concat(1);
  const luminance = (c: Rgba): number => {
    const f = (v: number): number => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]!) + 0.7152 * f(c[1]!) + 0.0722 * f(c[2]!);
  };
  const ratio = (paint: Rgba, bg: Rgba): number => {
    const [a, b] = [luminance(over(paint, bg)), luminance(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const behind = (el: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const css = getComputedStyle(e).backgroundColor;
      // A background in a notation not read here would be measured as if absent: say so instead.
      const c = parse(css);
      if (!c) throw new Error(`contrast: unread background colour ${css}`);
      if (c[3]! > 0) layers.push(c);
      if (c[3] === 1) break;
    }
    return layers.reverse().reduce((acc, l) => over(l, acc), [255, 255, 255, 1]);
  };
  const contrast: Contrast = { parse, over, luminance, ratio, behind };
  if (typeof window !== 'undefined') (window as unknown as { __mtsContrast: Contrast }).__mtsContrast = contrast;
  return contrast;
}

/** Installs `window.__mtsContrast` in the page (again after a navigation: it is the page's, not the browser's). */
export async function contrastIn(page: Page): Promise<void> {
  await page.evaluate(installContrast);
}
