// Contrast of the text of the designer, the study view, the training panel and the diagram as it
// is painted (its maths: contrast.ts): HTML text on the backgrounds behind it, SVG text on the
// shapes drawn behind it (a tinted block, a highlight, a heatmap cell: not the page), and a
// canvas's text (uPlot's axes) in the colour it was drawn with, recorded as it is drawn
// (recordCanvasText), on the page behind the canvas. WCAG AA for text under 18 px: 4.5:1.
import type { Page } from 'playwright-core';
import { contrastIn, type Contrast } from './contrast';

/**
 * Installed before the page's scripts (page.addInitScript): every fillText on a 2D canvas is
 * kept with its fill and alpha (`window.__canvasText`), the last draw of each text and place.
 */
export function recordCanvasText(): void {
  const drawn = new Map<string, { canvas: HTMLCanvasElement; text: string; fill: string; alpha: number }>();
  (window as unknown as { __canvasText: typeof drawn }).__canvasText = drawn;
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
    const place = this.getTransform().transformPoint(new DOMPoint(x, y));
    drawn.set(`${text}@${Math.round(place.x)},${Math.round(place.y)}`, { canvas: this.canvas, text, fill: String(this.fillStyle), alpha: this.globalAlpha });
    return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
  };
}

/**
 * Text under 4.5:1 against what is painted behind it: `ratio class "text"` (SVG: `… on <what>`,
 * canvas: `canvas "text"`). `selector`: the elements looked at (the designer's checks look at
 * part of its page); a canvas's text counts when its canvas is one of them.
 */
export async function lowContrastPaintedTexts(page: Page, selector = 'body *'): Promise<string[]> {
  await contrastIn(page);
  return page.evaluate((selector) => {
    const { parse, over, ratio, behind } = (window as unknown as { __mtsContrast: Contrast }).__mtsContrast;
    /** Opacity of an SVG element and its groups up to the <svg>. */
    const opacity = (el: Element): number => {
      let o = 1;
      for (let e: Element | null = el; e && e.localName !== 'svg'; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const describe = (s: Element): string => `<${s.localName}${s.getAttribute('class') ? ` class="${s.getAttribute('class')}"` : ''}>`;

    /**
     * What is painted behind an SVG text at a point of the screen: the page behind its outermost
     * <svg>, then each shape before the text in paint order whose fill covers the point.
     */
    const svgBackdrop = (text: SVGTextContentElement, x: number, y: number): { color: number[]; on: string } => {
      let svg = text.ownerSVGElement!;
      while (svg.ownerSVGElement) svg = svg.ownerSVGElement;
      let color = behind(svg), on = 'the page';
      for (const s of svg.querySelectorAll<SVGGeometryElement>('rect, circle, ellipse, path, polygon')) {
        if (!(text.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_PRECEDING)) continue;
        if (s.closest('defs, clipPath, pattern, marker, mask')) continue;
        const style = getComputedStyle(s);
        if (style.display === 'none' || style.visibility !== 'visible') continue;
        const ctm = s.getScreenCTM();
        if (!ctm || !s.isPointInFill(new DOMPoint(x, y).matrixTransform(ctm.inverse()))) continue;
        const fill = parse(style.fill);
        if (!fill) { on = `${describe(s)} of fill ${style.fill} (not measured)`; continue; }
        fill[3] = fill[3]! * Number(style.fillOpacity) * opacity(s);
        color = over(fill, color);
        on = describe(s);
      }
      return { color, on };
    };

    const low = new Set<string>();
    for (const el of document.querySelectorAll(selector)) {
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) continue;
      const style = getComputedStyle(el);
      // Not painted: hidden, or laid out nowhere (a closed dropdown's options under its shadow root's display: none).
      if (style.visibility !== 'visible' || el.getClientRects().length === 0 || el.closest('.sr-only')) continue;
      const what = `${el.getAttribute('class') ?? ''} "${el.textContent!.trim()}"`;
      if (!(el instanceof SVGElement)) {
        const paint = parse(style.color);
        if (!paint) { low.add(`? ${what} in ${style.color} (not measured)`); continue; }
        const r = ratio(paint, behind(el));
        if (r < 4.5) low.add(`${r.toFixed(2)} ${what}`);
        continue;
      }
      if (!(el instanceof SVGTextContentElement)) continue; // a <title>: a tooltip, not drawn
      // SVG text is painted by its fill (its `color` is only inherited), at its fill-opacity.
      const paint = parse(style.fill);
      if (!paint) continue;
      paint[3] = paint[3]! * Number(style.fillOpacity) * opacity(el);
      // Its middle and both ends (2 px in): a label may run from one cell or block onto another.
      const box = el.getBoundingClientRect();
      const cy = box.top + box.height / 2;
      let worst: { r: number; on: string } | undefined;
      for (const x of [box.left + 2, box.left + box.width / 2, box.right - 2]) {
        const bg = svgBackdrop(el, x, cy);
        const r = ratio(paint, bg.color);
        if (!worst || r < worst.r) worst = { r, on: bg.on };
      }
      if (worst && worst.r < 4.5) low.add(`${worst.r.toFixed(2)} ${what} on ${worst.on}`);
    }
    const drawn = (window as unknown as { __canvasText?: Map<string, { canvas: HTMLCanvasElement; text: string; fill: string; alpha: number }> }).__canvasText;
    for (const d of drawn?.values() ?? []) {
      if (!d.canvas.isConnected || !d.canvas.matches(selector) || !d.text.trim()) continue;
      const paint = parse(d.fill);
      if (!paint) { low.add(`? canvas "${d.text}" in ${d.fill} (not measured)`); continue; }
      paint[3] = paint[3]! * d.alpha;
      const r = ratio(paint, behind(d.canvas));
      if (r < 4.5) low.add(`${r.toFixed(2)} canvas "${d.text}"`);
    }
    return [...low];
  }, selector);
}

/** How many canvas texts were recorded on the page (a check that the recorder saw uPlot's axes). */
export function canvasTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __canvasText?: Map<string, { canvas: HTMLCanvasElement; text: string }> }).__canvasText?.values() ?? [])]
    .filter((d) => d.canvas.isConnected).map((d) => d.text));
}
