// The designer's side panels are the workspace's, not one editor's (issue 15): the palette
// hidden in one experiment's designer stays hidden in the designer of another file opened
// next; a change made there shows in the first designer when its tab comes back (a hidden
// designer is rebuilt, and gets the panels as the workspace has them now).
import fs from 'node:fs';
import path from 'node:path';
import { assert } from '../expect.mjs';

const FIRST = 'demo.mtl.json';
const OTHER = 'other.mtl.json';

/** Whether each side panel shows, as the user sees it and as the toolbar toggles say. */
async function panels(designer) {
  const shown = async (name, selector) => {
    const visible = await designer.locator(selector).isVisible();
    const pressed = await designer.locator('.panel-toggle', { hasText: name }).getAttribute('aria-pressed');
    assert(String(visible) === pressed, `the ${name} toggle says ${pressed}, the panel is ${visible ? 'shown' : 'hidden'}`);
    return visible;
  };
  return { palette: await shown('Palette', '.palette'), inspector: await shown('Inspector', '.inspector') };
}

export default {
  name: 'designer panels remembered for the workspace',
  workspace: 'demo',
  async run(s) {
    const { page } = s;
    // A second experiment in the workspace: the same one under another name.
    const text = fs.readFileSync(path.join(s.workspace, FIRST), 'utf8');
    fs.writeFileSync(path.join(s.workspace, OTHER), text.replace('"name": "digits-parity"', '"name": "other"'));

    let first = await s.openDesigner(FIRST);
    assert(JSON.stringify(await panels(first)) === '{"palette":true,"inspector":true}', 'a new workspace shows both panels');
    await first.locator('.panel-toggle', { hasText: 'Palette' }).click();
    await first.locator('.palette').waitFor({ state: 'hidden' });

    // Another file's designer opens with the palette hidden.
    const other = await s.openDesigner(OTHER);
    await other.locator('.react-flow__node[data-id="trunk2"]').waitFor();
    const opened = await panels(other);
    assert(!opened.palette && opened.inspector, `the other designer opens with the palette hidden: ${JSON.stringify(opened)}`);
    await s.screenshot('other-file-palette-hidden');

    // Changed there: the palette back, the inspector hidden. The first designer's tab follows.
    await other.locator('.panel-toggle', { hasText: 'Palette' }).click();
    await other.locator('.panel-toggle', { hasText: 'Inspector' }).click();
    await other.locator('.inspector').waitFor({ state: 'hidden' });
    await other.locator('.palette').waitFor();
    await page.locator('.tabs-container .tab', { hasText: FIRST }).click();
    first = await s.designer(FIRST);
    await first.locator('.inspector').waitFor({ state: 'hidden' });
    const back = await panels(first);
    assert(back.palette && !back.inspector, `the first designer shows the panels as changed in the other: ${JSON.stringify(back)}`);
    await s.screenshot('first-file-follows');
  },
};
