// A new user finds the walkthrough where VS Code keeps them (issue 15): Help: Welcome → the
// Walkthroughs list → "Multi-Task Studio". Every step's picture is drawn
// (loaded, not a broken image), and the first step's command link, "Open an example", does what
// it says: the template pick, the folder, the designer on the copied example, and the step is
// checked off. Steps 2, 3, 5 and 6's links (the designer again, the designer at its weighting
// method, the Runs view, the study's variant pick) check theirs off too.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText } from '../expect.mjs';

const TITLE = 'Multi-Task Studio';
/** Device pixels per CSS pixel of the walkthrough's pictures (readmeScreenshots.mjs takes them so). */
const PICTURE_DEVICE_SCALE = 2;
/** The least scale a picture may be shown at: 11 px text still about 8 px (whole windows shrunk in were at about 0.3). */
const MIN_PICTURE_SCALE = 0.7;
// [step id, title, picture, command link] as package.json's contributes.walkthroughs has them.
const STEPS = [['openExample', 'Open an example', 'open', 'Open an example'], ['seeShared', 'See what is shared', 'shared', 'Open the designer'],
  ['chooseWeighting', 'Weight the tasks', 'weighting', 'Choose task weighting'], ['train', 'Train', 'training', 'Train multi-task model'], ['readResults', 'Read the report and the diagram', 'diagram', 'Show the Runs view'],
  ['compareSharing', 'Compare sharing strategies', 'study', 'Compare sharing strategies…']];

export default {
  name: 'walkthrough from the Welcome page',
  workspace: 'empty',
  async run(s) {
    const { page } = s;
    await s.runCommand('Help: Welcome');
    const welcome = page.locator('.gettingStartedContainer');
    await welcome.waitFor();
    // code-server's Welcome may open on its own "Setup VS Code Web" walkthrough: then back to the
    // Welcome page, which lists the walkthroughs of the installed extensions, ours among them.
    const back = welcome.locator('button.prev-button', { hasText: /^Welcome$/ });
    const entry = welcome.locator('.index-list.getting-started button', { hasText: TITLE });
    await s.waitUntil(async () => (await entry.isVisible()) || (await back.isVisible()), 'the Welcome page or a walkthrough on it');
    if (!(await entry.isVisible())) await back.click();
    await entry.waitFor();
    await entry.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'Walkthrough: Multi-Task Studio' }).waitFor();
    const slide = welcome.locator('.gettingStartedSlideDetails');
    await slide.waitFor();
    const step = (id) => slide.locator(`button.getting-started-step[data-step-id$="#gettingStarted#${id}"]`);

    // Each step, selected, shows its picture: loaded and drawn (a broken image has no natural size).
    for (const [id, title, picture, link] of STEPS) {
      await step(id).locator('h3.step-title').click();
      await slide.locator(`button.getting-started-step.expanded[data-step-id$="#${id}"]`).waitFor();
      await expectText(step(id).locator('.button-container a.monaco-button').first(), link, `${title}'s command link`);
      const image = slide.locator('.getting-started-media img');
      await s.waitUntil(() => image.evaluate((img, want) => decodeURIComponent(img.currentSrc).includes(want) && img.complete && img.naturalWidth > 0, `media/walkthrough/${picture}-light.png`)
        .catch(() => false), `${title}'s picture (${picture}-light.png) to load`, 15_000).catch(async (e) => {
        throw new Error(`${e.message}; the media shows ${await slide.locator('.getting-started-media').innerHTML().catch(() => 'nothing')}`);
      });
      // Its pixels, read back through a canvas (same origin): a picture, not one flat colour.
      const drawn = await image.evaluate(async (img) => {
        const c = document.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        const px = g.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        for (let i = 0; i < px.length; i += 4 * 7) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
        // The file's own pixels (VS Code gives the picture a srcset density, which divides
        // naturalWidth), and the width it is drawn at inside its box (object-fit: contain).
        const file = new Image();
        file.src = img.currentSrc;
        await file.decode();
        const drawnWidth = Math.min(img.clientWidth, img.clientHeight * (file.naturalWidth / file.naturalHeight));
        return { natural: [img.naturalWidth, img.naturalHeight], file: [file.naturalWidth, file.naturalHeight], shown: [img.clientWidth, img.clientHeight], drawnWidth, colours: colours.size, alt: img.alt };
      });
      assert(drawn.natural[0] >= 600 && drawn.shown[0] >= 200 && drawn.shown[1] >= 100 && drawn.colours >= 50 && drawn.alt.length > 20,
        `${title}'s picture is drawn, with its alt text: ${JSON.stringify(drawn)}`);
      // Readable: the pictures are crops taken at 2 device pixels per CSS pixel
      // (readmeScreenshots.mjs), so text drawn at 11 px in the window shows here at 11 × scale.
      const scale = drawn.drawnWidth / (drawn.file[0] / PICTURE_DEVICE_SCALE);
      assert(scale >= MIN_PICTURE_SCALE, `${title}'s picture is shown at ${scale.toFixed(2)} of its size in the window: its 11 px text would be ${(11 * scale).toFixed(1)} px (${JSON.stringify(drawn)})`);
      console.log(`    ${title}: ${picture}-light.png ${drawn.file.join('x')} px drawn ${Math.round(drawn.drawnWidth)} px wide (${scale.toFixed(2)} of its size in the window), ${drawn.colours} colours`);
    }
    await step('openExample').locator('h3.step-title').click();
    const first = slide.locator('.getting-started-media img');
    await s.waitUntil(() => first.evaluate((img) => decodeURIComponent(img.currentSrc).includes('media/walkthrough/open-light.png') && img.complete && img.naturalWidth > 0).catch(() => false),
      'the first picture to load');
    await s.screenshot('walkthrough-first-step');
    // The first step's title in sight once it is selected again: the list of steps, scrolled down by
    // the later steps, kept "Open an example" above its visible area (only its description showed).
    const hidden = await step('openExample').locator('h3.step-title').evaluate((h) => {
      const r = h.getBoundingClientRect();
      for (let e = h.parentElement; e; e = e.parentElement) {
        const box = e.getBoundingClientRect(), style = getComputedStyle(e);
        if (style.overflow !== 'visible' && (r.top < box.top - 1 || r.bottom > box.bottom + 1)) return `${Math.round(r.top)}..${Math.round(r.bottom)} outside ${e.className} ${Math.round(box.top)}..${Math.round(box.bottom)}`;
      }
      return '';
    });
    assert(hidden === '', `the first step's title is out of sight: ${hidden}`);
    // Every step's title and the walkthrough's description read whole in a 1400 px window beside the
    // side bar: "Choose how the tasks are weig…" and "…train it, and see…" were cut.
    const cut = await slide.locator('h3.step-title, .category-description').evaluateAll((els) => els
      .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).map((e) => e.textContent.trim()));
    assert(cut.length === 0, `texts of the walkthrough cut: ${JSON.stringify(cut)}`);
    assert(await slide.locator('.category-description').count() === 1, 'the walkthrough\'s description found');

    // The first step's link, "Open an example": the template pick, the folder, the designer on the copy.
    await step('openExample').locator('.button-container a.monaco-button', { hasText: 'Open an example' }).click();
    await s.pick('digits-parity', { placeholder: /Pick a template/ });
    await s.answerInput(undefined, { prompt: /Folder for the experiment/ });
    const file = path.join(s.workspace, 'digits-parity', 'digits-parity.mtl.json');
    await s.waitUntil(() => fs.existsSync(file), `${file} to be written`);
    const designer = await s.designer('digits-parity.mtl.json');
    for (const id of ['image', 'trunk1', 'trunk2', 'digitHead', 'parityHead', 'task:digit', 'task:parity']) {
      await designer.locator(`.react-flow__node[data-id="${id}"]`).waitFor();
    }
    await expectText(designer.locator('.react-flow__node[data-id="trunk1"] .shared-badge'), /Shared · 2 tasks/, "trunk1's badge");
    await expectText(designer.locator('footer.summary'), /Parameters\s*109,451/, 'total parameters');
    await s.screenshot('example-opened-from-walkthrough');

    // Back in the walkthrough, the step is checked off (its completion event is the command).
    await page.locator('.tabs-container .tab', { hasText: 'Walkthrough: Multi-Task Studio' }).click();
    await s.waitUntil(async () => (await step('openExample').getAttribute('aria-checked')) === 'true', 'the first step to be checked off');
    await s.screenshot('walkthrough-step-done');

    // Step 2's link, "Open the designer", brings the experiment's designer back; step 5's, "Show the
    // Runs view", shows the (still empty) Runs view. Each is checked off. (Step 4 trains: train.mjs.)
    const openLink = async (id, link) => {
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough: Multi-Task Studio' }).click();
      await step(id).locator('h3.step-title').click();
      await slide.locator(`button.getting-started-step.expanded[data-step-id$="#${id}"]`).waitFor();
      await step(id).locator('.button-container a.monaco-button', { hasText: link }).click();
    };
    await openLink('seeShared', 'Open the designer');
    // No experiment is in front (the walkthrough is): the workspace's experiments to pick from.
    await s.pick('digits-parity.mtl.json', { placeholder: /Experiment to open in the designer/ });
    const again = await s.webviewFrame('Designer: digits-parity.mtl.json');
    await expectText(again.locator('footer.summary'), /Shared\s*108,736/, 'the designer shown again');
    // Step 3's link, "Choose task weighting": the designer again, on its Training tab with the
    // weighting method's list in view and focused (it sits below the optimizer and the run settings).
    await openLink('chooseWeighting', 'Choose task weighting');
    await s.pick('digits-parity.mtl.json', { placeholder: /Experiment whose task weighting to choose/ });
    const weighting = await s.webviewFrame('Designer: digits-parity.mtl.json');
    await weighting.locator('#tab-training[aria-selected="true"]').waitFor();
    await s.waitUntil(() => weighting.evaluate(() => document.activeElement?.closest('.variant')?.getAttribute('data-path') === 'training.weighting'), 'the weighting method focused');
    await s.waitUntil(() => weighting.locator('.variant[data-path="training.weighting"] vscode-dropdown').first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }), 'the weighting method in view');
    await expectText(weighting.locator('.weighting-guide summary'), /^Compare all \d+ methods$/, 'the weighting guide under the method');
    await s.screenshot('weighting-from-walkthrough');
    await openLink('readResults', 'Show the Runs view');
    await expectText(page.locator('.part.sidebar .title-label'), /Multi-Task Studio: Runs/i, 'the side bar title');
    await expectText(page.locator('.part.sidebar .welcome-view-content'), 'No training runs yet.', 'the empty Runs view');
    // Step 6's link, "Compare sharing strategies…": the experiment to compare (the walkthrough is in
    // front), then the variant quick pick; Escape leaves it before anything is written.
    await openLink('compareSharing', 'Compare sharing strategies…');
    await s.pick('digits-parity.mtl.json', { placeholder: /Compare sharing strategies for which experiment/ });
    const variants = page.locator('.quick-input-widget input');
    await s.waitUntil(async () => /Variants to train/.test((await variants.getAttribute('placeholder')) ?? ''), 'the variant quick pick');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Where to branch' }).first().waitFor();
    await variants.press('Escape');
    await page.locator('.tabs-container .tab', { hasText: 'Walkthrough: Multi-Task Studio' }).click();
    for (const id of ['seeShared', 'chooseWeighting', 'readResults', 'compareSharing']) {
      await s.waitUntil(async () => (await step(id).getAttribute('aria-checked')) === 'true', `step ${id} to be checked off`);
    }
    await s.screenshot('walkthrough-four-steps-done');
  },
};
