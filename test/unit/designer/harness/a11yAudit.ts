// What a keyboard or screen-reader user meets on a webview page, read from Chromium itself:
// controls without an accessible name (its accessibility tree, shadow DOM included), Tab stops
// whose focus paints nothing (pixels with and without the focus), and a Tab that cannot leave
// an element. Used by the designer's, training panel's and diagram's harness checks.
import type { Page } from 'playwright-core';

/** Roles a user operates: each needs a name a screen reader can say. */
const CONTROL_ROLES = new Set(['button', 'checkbox', 'combobox', 'link', 'listbox', 'menuitem', 'radio', 'slider', 'spinbutton', 'switch', 'tab', 'textbox', 'searchbox', 'treeitem', 'option']);

interface AxNode { ignored: boolean; role?: { value?: string }; name?: { value?: string }; description?: { value?: string }; backendDOMNodeId?: number; properties?: Array<{ name: string; value: { value?: unknown } }> }

/** Controls (and other focusable elements) whose accessible name is empty: `role <tag class="…">`. */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: AxNode[] };
    const found: string[] = [];
    for (const n of nodes) {
      if (n.ignored || n.backendDOMNodeId === undefined) continue;
      const role = n.role?.value ?? '';
      const focusable = n.properties?.some((p) => p.name === 'focusable' && p.value.value === true) ?? false;
      if (role === 'RootWebArea' || !(CONTROL_ROLES.has(role) || focusable)) continue;
      if ((n.name?.value ?? '').trim()) continue;
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: n.backendDOMNodeId }) as { object: { objectId: string } };
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId, returnByValue: true,
        functionDeclaration: 'function () { const e = this.nodeType === 1 ? this : this.parentElement; const host = e.getRootNode().host; return (host ? host.localName + " > " : "") + e.outerHTML.slice(0, e.outerHTML.indexOf(">") + 1).slice(0, 120); }',
      }) as { result: { value: string } };
      found.push(`${role} ${result.value}`);
    }
    return found;
  } finally {
    await cdp.detach();
  }
}

/** Every picture (role img: a chart's canvas, an SVG) a screen reader meets, with its name and description, in page order. */
export async function pictures(page: Page): Promise<Array<{ name: string; description: string }>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: AxNode[] };
    return nodes.filter((n) => !n.ignored && (n.role?.value === 'img' || n.role?.value === 'image'))
      .map((n) => ({ name: n.name?.value ?? '', description: n.description?.value ?? '' }));
  } finally {
    await cdp.detach();
  }
}

export interface TabWalk {
  /** Each stop in order: its description. */
  stops: string[];
  /** Stops whose focus changes no pixel of the element or the 4 px around it. */
  noRing: string[];
  /** A stop that a Tab did not leave (a keyboard trap), if any. */
  trapped: string | undefined;
}

/**
 * Presses Tab from the page's start up to `max` times (or until it comes back to the first
 * stop) and, at each stop, compares the pixels around the focused element with the focus and
 * without it (blurred: Chromium's next Tab still goes on from there).
 */
export async function tabWalk(page: Page, max = 60): Promise<TabWalk> {
  await page.evaluate(() => { (document.activeElement as HTMLElement | null)?.blur(); window.scrollTo(0, 0); });
  await page.mouse.move(0, 0);
  const walk: TabWalk = { stops: [], noRing: [], trapped: undefined };
  let previous = '';
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    await page.waitForTimeout(60); // a focus transition's frame
    const at = await page.evaluate(() => {
      let e = document.activeElement;
      if (!e || e === document.body) return undefined;
      const outer = e;
      while (e?.shadowRoot?.activeElement) e = e.shadowRoot.activeElement;
      const r = outer.getBoundingClientRect();
      const name = outer.getAttribute('aria-label') ?? outer.getAttribute('data-id') ?? (outer.textContent ?? '').trim().slice(0, 40);
      const path: string[] = [];
      // Each ancestor's place among its siblings: the same control in two charts (a legend entry) is two stops.
      for (let p: Element | null = outer; p && path.length < 40; p = p.parentElement) path.push(`${p.localName}${p.id ? `#${p.id}` : ''}:${[...(p.parentElement?.children ?? [])].indexOf(p)}`);
      return { key: `${path.join('<')}|${outer.getAttribute('data-id') ?? ''}|${name}|${[...(outer.parentElement?.children ?? [])].indexOf(outer)}`, what: `${outer.localName}${outer.className && typeof outer.className === 'string' ? `.${outer.className.trim().split(/\s+/).join('.')}` : ''} "${name}"`, x: r.x, y: r.y, width: r.width, height: r.height, inner: e !== outer };
    });
    if (!at) continue;
    if (walk.stops.length && at.key === walk.stops[0]) break;
    if (at.key === previous) { walk.trapped = at.what; break; }
    previous = at.key;
    walk.stops.push(at.key);
    const view = page.viewportSize()!;
    const x = Math.max(0, at.x - 4), y = Math.max(0, at.y - 4);
    const clip = { x, y, width: Math.min(view.width, at.x + at.width + 4) - x, height: Math.min(view.height, at.y + at.height + 4) - y };
    if (clip.width < 1 || clip.height < 1) { walk.noRing.push(`${at.what} (out of sight)`); continue; }
    const focused = await page.screenshot({ clip });
    await page.evaluate(() => {
      let e = document.activeElement as HTMLElement | null;
      while (e?.shadowRoot?.activeElement) e = e.shadowRoot.activeElement as HTMLElement;
      e?.blur();
    });
    await page.waitForTimeout(60);
    const blurred = await page.screenshot({ clip });
    if (focused.equals(blurred)) walk.noRing.push(at.what);
  }
  return walk;
}
