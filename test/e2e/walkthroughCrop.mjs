// The Getting Started walkthrough's pictures are crops of real views, each to the part its step
// is about, taken at 2 device pixels per CSS pixel (a scenario's `deviceScaleFactor: 2`): the
// walkthrough shows a picture about 450 px wide, so a whole window shrunk into it has
// unreadable text, and a crop about that wide does not. Saved as
// test-output/e2e/<scenario>/walkthrough-<step>-<theme>.png; with MTS_E2E_UPDATE_WALKTHROUGH=1
// `copyWalkthroughPictures` copies them to media/walkthrough/<step>-<theme>.png.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.mjs';
import { assert } from './expect.mjs';

/** Margin around a crop, in CSS pixels. */
const CROP_PAD = 12;

/** A cropper for session `s`: `crop(step, theme, parts)` saves the box around every element of the locators `parts`. */
export function walkthroughCropper(s) {
  const crops = [];
  const crop = async (step, theme, parts) => {
    const { page } = s;
    const boxes = [];
    for (const part of parts) for (const one of await part.all()) { const b = await one.boundingBox(); if (b) boxes.push(b); }
    assert(boxes.length > 0, `${step}-${theme}: nothing to crop`);
    const view = page.viewportSize();
    const parts0 = {
      x: Math.min(...boxes.map((b) => b.x)), y: Math.min(...boxes.map((b) => b.y)),
      right: Math.max(...boxes.map((b) => b.x + b.width)), bottom: Math.max(...boxes.map((b) => b.y + b.height)),
    };
    // A part cut off at the window's edge would be a half-drawn picture; the margin around the
    // parts is only cosmetic, so it stops at the window (the inspector ends at its right edge).
    assert(parts0.x >= 0 && parts0.y >= 0 && parts0.right <= view.width && parts0.bottom <= view.height, `${step}-${theme}: the part is not wholly in the window: ${JSON.stringify(parts0)}`);
    const x = Math.max(0, parts0.x - CROP_PAD);
    const y = Math.max(0, parts0.y - CROP_PAD);
    const right = Math.min(view.width, parts0.right + CROP_PAD);
    const bottom = Math.min(view.height, parts0.bottom + CROP_PAD);
    const clip = { x: Math.floor(x), y: Math.floor(y), width: Math.ceil(right - x), height: Math.ceil(bottom - y) };
    const file = path.join(s.dir, `walkthrough-${step}-${theme}.png`);
    await page.screenshot({ path: file, clip, scale: 'device' });
    crops.push([file, `${step}-${theme}.png`]);
    console.log(`    walkthrough ${step}-${theme}: ${clip.width}x${clip.height} CSS px`);
  };
  const copyWalkthroughPictures = () => {
    if (process.env.MTS_E2E_UPDATE_WALKTHROUGH !== '1') return;
    const dest = path.join(repoRoot, 'media', 'walkthrough');
    for (const [file, name] of crops) fs.copyFileSync(file, path.join(dest, name));
    console.log(`    copied ${crops.length} pictures to media/walkthrough/`);
  };
  return { crop, copyWalkthroughPictures };
}
