// End-to-end harness: a real VS Code (code-server) with the extension installed, a copy of
// an example workspace, and Debian's Chromium driven by playwright-core. Scenarios get a
// `Session` with user-level helpers; withSession() always stops what it started, even on failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { killAllGroups } from './processes.mjs';
import { ensureCodeServer, extensionHostLogs, installVsix, startCodeServer } from './code-server.mjs';
import { installInto, resolveExtension } from './extension-package.mjs';
import { chromiumArgs, chromiumPath, examplesRoot, fixturesRoot, outputRoot } from './paths.mjs';

export const RUN_MARKER = 'MTS_E2E_RUN';
/** Like RUN_MARKER, one value per scenario: scenarios run side by side (run.mjs), so a scenario finds its own processes by this one. */
export const SESSION_MARKER = 'MTS_E2E_SESSION';
const liveBrowsers = new Set();
const STEP_TIMEOUT = Number(process.env.MTS_E2E_TIMEOUT_MS ?? 60_000);
const log = (msg) => console.log(`[e2e] ${msg}`);

/**
 * Everything shared by the scenarios of one run: code-server located, the extension
 * installed once into an extensions folder, a temp root that dispose() removes.
 * `installExtension: false` leaves the extensions folder empty (the integration runner
 * loads the extension as a development folder instead).
 */
export async function prepareRun({ installExtension = true } = {}) {
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: run scripts/install-debian-deps.sh (or set MTS_CHROMIUM)`);
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-e2e-'));
  const runId = path.basename(tempRoot);
  const extensionsDir = path.join(tempRoot, 'extensions');
  fs.mkdirSync(extensionsDir);
  // Retries: after a Ctrl-C, a dying process may still be writing into the folder.
  const dispose = () => fs.rmSync(tempRoot, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  const run = { tempRoot, runId, extensionsDir, dispose };
  try {
    log('code-server: checking the cached install');
    run.entry = ensureCodeServer();
    if (installExtension) {
      const ext = resolveExtension(log);
      log(ext.kind === 'vsix' ? `installing ${path.basename(ext.vsix)}` : `linking ${ext.folder}`);
      installInto(ext, extensionsDir, (vsix) => installVsix(run.entry, vsix, extensionsDir, path.join(tempRoot, 'install-profile')));
    }
  } catch (error) {
    run.dispose();
    throw error;
  }
  return run;
}

/** Stops every browser and code-server still running (a Ctrl-C in the middle of a run). */
export async function stopEverything() {
  await Promise.all([...liveBrowsers].map((b) => b.close().catch(() => {})));
  await killAllGroups();
}

/** A workspace folder to open: a copy of examples/<name>, else of test/e2e/fixtures/<name>. */
function copyWorkspace(name, dest) {
  const fromExamples = path.join(examplesRoot, name);
  const source = fs.existsSync(fromExamples) ? fromExamples : path.join(fixturesRoot, name);
  if (!fs.existsSync(source)) throw new Error(`no workspace "${name}" in examples/ or test/e2e/fixtures/`);
  fs.cpSync(source, dest, { recursive: true, filter: (src) => !src.split(path.sep).includes('runs') });
  return dest;
}

export class Session {
  /** @param {{ name: string, dir: string, page: import('playwright-core').Page, workspace: string, userDataDir: string, runId: string, sessionId: string }} o */
  constructor(o) {
    Object.assign(this, o);
    this.consoleErrors = [];
    this.shots = 0;
    o.page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
      // The webview loader's retries (src/host/webviewLoader.ts), worth seeing in the log.
      else if (/^Multi-Task Studio: .* did not load/.test(m.text())) log(m.text());
    });
    o.page.on('pageerror', (e) => this.consoleErrors.push(`pageerror: ${e.message}`));
  }

  /**
   * Opens a quick input with `key`, types `text` and clicks the row labelled `label`. While the
   * window is still starting, something may take focus and close it: then open it again, as a
   * user would.
   */
  async #pickFromQuickInput(key, text, label) {
    const { page } = this;
    const input = page.locator('.quick-input-widget input');
    const row = page.locator('.quick-input-list .monaco-list-row').filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
    }).first();
    for (let attempt = 1; ; attempt++) {
      try {
        await page.keyboard.press(key);
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(text, { timeout: 5_000 });
        await row.waitFor({ state: 'visible', timeout: 20_000 });
        await row.click({ timeout: 5_000 });
        return input;
      } catch (error) {
        if (attempt === 3) throw error;
        await page.keyboard.press('Escape');
      }
    }
  }

  /** Runs a command from the palette by the title the user sees, e.g. "Multi-Task Studio: Train multi-task model". */
  async runCommand(title) {
    const input = await this.#pickFromQuickInput('F1', `>${title}`, title);
    // Done when the palette has closed or the command replaced it with its own quick pick.
    await waitUntil(async () => !(await input.isVisible()) || (await input.inputValue()) !== `>${title}`,
      `the palette to take "${title}"`);
  }

  /** Waits for a notification toast containing `text` (string or RegExp); returns its locator. */
  async waitForNotification(text, timeout = STEP_TIMEOUT) {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout });
    return toast;
  }

  /**
   * Waits until a line in the Output panel matches `text` (string or RegExp) and returns
   * that line. With `channel`, first switches the panel to that channel through the
   * palette, as a user would. Monaco only draws the lines on screen, so now and then the
   * output is paged through from the top, as a user scrolling back would.
   */
  async waitForOutput(text, { channel, timeout = STEP_TIMEOUT } = {}) {
    if (channel) await this.showOutputChannel(channel);
    const matches = (line) => (typeof text === 'string' ? line.includes(text) : text.test(line));
    let found;
    let lastScan = Date.now();
    await waitUntil(async () => {
      found = (await this.renderedOutputLines()).find(matches);
      if (found === undefined && Date.now() - lastScan > 2000) {
        found = await this.scanOutput(matches);
        lastScan = Date.now();
      }
      return found !== undefined;
    }, `output matching ${text}`, timeout);
    return found;
  }

  async renderedOutputLines() {
    const texts = await this.page.locator('.part.panel .output-view .view-lines .view-line').allTextContents();
    return texts.map((t) => t.replaceAll('\u00a0', ' ')); // Monaco draws spaces as no-break spaces
  }

  /** Pages through the whole output from the top; ends at the bottom, where it follows new lines. */
  async scanOutput(matches) {
    const { page } = this;
    await page.locator('.part.panel .output-view .monaco-editor .overflow-guard').click({ position: { x: 60, y: 30 } });
    await page.keyboard.press('Control+Home');
    let previous = '';
    let found;
    for (let i = 0; i < 500 && found === undefined; i++) {
      const texts = await this.renderedOutputLines();
      found = texts.find(matches);
      if (texts.join('\n') === previous) break;
      previous = texts.join('\n');
      await page.keyboard.press('PageDown');
    }
    await page.keyboard.press('Control+End');
    return found;
  }

  /**
   * Shows `channel` in the Output panel. A command that shows its own channel a moment later
   * (as "Show environment" does) may close the channel picker meanwhile: then look again.
   */
  async showOutputChannel(channel) {
    for (let attempt = 1; ; attempt++) {
      if ((await this.selectedOutputChannel()) === channel) return;
      try {
        await this.runCommand('Output: Show Output Channels...');
        await this.pick(channel, { placeholder: /output channel/i, timeout: 10_000 });
        await waitUntil(async () => (await this.selectedOutputChannel()) === channel, `the Output panel to show ${channel}`, 10_000);
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** The channel the visible Output panel shows (its drop-down), or undefined. */
  async selectedOutputChannel() {
    const select = this.page.locator('.part.panel .monaco-select-box').filter({ has: this.page.locator('option') });
    if (!(await this.page.locator('.part.panel .output-view').isVisible().catch(() => false))) return undefined;
    for (const el of await select.all()) {
      const text = await el.evaluate((e) => e.options[e.selectedIndex]?.text).catch(() => undefined);
      if (text) return text;
    }
    return undefined;
  }

  /**
   * Chooses `item` in the quick pick a command opened, recognised by its placeholder
   * (the palette's own input is reused, so its text alone does not tell them apart).
   */
  async pick(item, { placeholder, timeout = STEP_TIMEOUT }) {
    const { page } = this;
    const input = page.locator('.quick-input-widget input');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    // Items arrive after the placeholder; text typed before them may filter an empty list.
    await waitUntil(async () => (await input.isVisible()) && placeholder.test((await input.getAttribute('placeholder')) ?? '')
      && (await rows.count()) > 0, `a quick pick with placeholder ${placeholder}`, timeout);
    const row = rows.filter({ hasText: item }).first();
    for (let attempt = 1; ; attempt++) {
      try {
        await input.fill(item);
        await row.waitFor({ state: 'visible', timeout: attempt === 3 ? timeout : 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    await row.click();
  }

  /** Types into the input box a command opened (recognised by its prompt) and presses Enter. */
  async answerInput(text, { prompt }) {
    const { page } = this;
    const input = page.locator('.quick-input-widget input');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await waitUntil(async () => (await input.isVisible()) && prompt.test((await message.textContent()) ?? ''), `an input box with prompt ${prompt}`);
    if (text !== undefined) await input.fill(text);
    await input.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  /** Opens a workspace file by name with Quick Open (Ctrl+P), as a user would; *.mtl.json opens in the designer. */
  async openFile(name) {
    await this.#pickFromQuickInput('Control+P', name, name);
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  }

  /** Opens `name` (an *.mtl.json) with Quick Open and returns its designer's frame once the graph is laid out. */
  async openDesigner(name) {
    await this.openFile(name);
    return this.designer(name);
  }

  /**
   * The frame of the visible designer of `name`, once its graph is laid out. A hidden designer's
   * webview is rebuilt when shown again: call this anew after switching tabs.
   */
  async designer(name) {
    const frame = await this.webviewFrame(`Designer: ${name}`);
    await frame.locator('.canvas[data-layout="ready"]').waitFor();
    return frame;
  }

  /** The content of the active webview panel (VS Code nests it two iframes deep). */
  webview() {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /**
   * The content frame of the visible webview whose page title matches `title` (the designer's
   * is "Designer: <file>", the panels' their tab title): for when several webviews show at
   * once, e.g. the designer with the training panel beside it. A hidden webview is destroyed
   * (none retains its context), so look it up again after switching tabs.
   */
  async webviewFrame(title, timeout = STEP_TIMEOUT) {
    return (await this.webviewFrames(title, 1, timeout))[0];
  }

  /**
   * The webview titled `title` once `selector` shows in it, the frame found again on each try:
   * after a window reload a page can load twice (src/host/webviewLoader.ts retries its bundle),
   * detaching the frame a caller held.
   */
  async webviewShowing(title, selector, timeout = STEP_TIMEOUT) {
    let frame;
    await waitUntil(async () => {
      frame = await this.webviewFrame(title, 2_000).catch(() => undefined);
      return !!frame && !frame.isDetached() && (await frame.locator(selector).first().isVisible().catch(() => false));
    }, `${selector} in the webview titled ${title}`, timeout);
    return frame;
  }

  /** Like webviewFrame, for `count` webviews with that title at once (a split editor); left to right. */
  async webviewFrames(title, count, timeout = STEP_TIMEOUT) {
    const matches = (t) => (typeof title === 'string' ? t.includes(title) : title.test(t));
    let found = [];
    await waitUntil(async () => {
      found = [];
      for (const frame of this.page.frames()) {
        if (frame.isDetached() || frame.parentFrame()?.parentFrame() !== this.page.mainFrame()) continue;
        const t = await frame.title().catch(() => '');
        if (!t || !matches(t) || (await frame.locator('#root > *').count().catch(() => 0)) === 0) continue;
        const box = await (await frame.parentFrame().frameElement()).boundingBox().catch(() => null);
        if (box && box.width > 0) found.push({ frame, x: box.x });
      }
      return found.length >= count;
    }, `${count} webview(s) titled ${title}`, timeout);
    return found.sort((a, b) => a.x - b.x).map((f) => f.frame);
  }

  /**
   * The content frame of a visible Markdown preview whose page has an `h1` with `heading`:
   * the preview's tab appears before its content (the report came in seconds later), so
   * what it shows is waited for by its text.
   */
  async markdownPreviewFrame(heading, timeout = STEP_TIMEOUT) {
    let found;
    await waitUntil(async () => {
      for (const frame of this.page.frames()) {
        if (frame.isDetached() || frame.parentFrame()?.parentFrame() !== this.page.mainFrame()) continue;
        if ((await frame.locator('h1', { hasText: heading }).count().catch(() => 0)) === 0) continue;
        const box = await (await frame.parentFrame().frameElement()).boundingBox().catch(() => null);
        if (box && box.width > 0) { found = frame; return true; }
      }
      return false;
    }, `a Markdown preview headed ${heading}`, timeout);
    return found;
  }

  /**
   * Replaces the text of a toolkit text field by typing, as a user would: click, select all,
   * type. VS Code runs select-all for webviews asynchronously (the workbench owns Ctrl+A and
   * forwards it), so wait until the text is selected before typing over it.
   */
  async replaceText(field, text) {
    const inner = field.locator('input');
    await inner.click();
    await this.page.keyboard.press('Control+A');
    await waitUntil(() => inner.evaluate((el) => el.value.length === 0 || (el.selectionStart === 0 && el.selectionEnd === el.value.length)),
      'the field text to be selected');
    await this.page.keyboard.type(text, { delay: 30 });
  }

  /**
   * Switches the colour theme as a user does: F1 → "Preferences: Color Theme" → pick it.
   * (An edit of settings.json under a running code-server window was not picked up in our runs.)
   */
  async setColorTheme(theme) {
    await this.runCommand('Preferences: Color Theme');
    await this.pick(theme, { placeholder: /Select Color Theme/i });
    await this.page.locator('.quick-input-widget input').waitFor({ state: 'hidden' });
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns the text of its rows. */
  async problemsPanelRows() {
    const { page } = this;
    const panel = page.locator('.part.panel .markers-panel');
    if (!(await panel.isVisible().catch(() => false))) {
      await page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible' });
    }
    return (await panel.locator('.monaco-list-row').allTextContents()).map((t) => t.replaceAll('\u00a0', ' '));
  }

  /** Waits until `condition()` is truthy (polled); `what` names it in the timeout error. */
  waitUntil(condition, what, timeout = STEP_TIMEOUT) {
    return waitUntil(condition, what, timeout);
  }

  /** Saves test-output/e2e/<scenario>/<nn>-<name>.png (one pixel per CSS pixel, whatever the scenario's scale) and returns its path. */
  async screenshot(name) {
    const file = path.join(this.dir, `${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file, scale: 'css' });
    return file;
  }

  /** Failure evidence: a screenshot, the console errors and the extension host logs. */
  async saveFailureArtifacts(error) {
    const saved = [];
    try { saved.push(await this.screenshot('failure')); } catch (e) { log(`no failure screenshot: ${e.message}`); }
    const errorsFile = path.join(this.dir, 'console-errors.txt');
    fs.writeFileSync(errorsFile, `${this.consoleErrors.join('\n')}\n`);
    saved.push(errorsFile);
    for (const f of extensionHostLogs(this.userDataDir)) {
      const dest = path.join(this.dir, `exthost-${path.basename(path.dirname(f))}-${path.basename(f)}`);
      fs.copyFileSync(f, dest);
      saved.push(dest);
    }
    fs.writeFileSync(path.join(this.dir, 'error.txt'), `${error?.stack ?? error}\n`);
    if (this.consoleErrors.length) {
      log(`console errors (${this.consoleErrors.length}):`);
      for (const e of this.consoleErrors.slice(-20)) console.log(`    ${e.split('\n')[0]}`);
    }
    log(`failure artifacts in ${path.relative(process.cwd(), this.dir)}/: ${saved.map((f) => path.basename(f)).join(', ')}`);
  }
}

/** Settings that keep VS Code from opening pages that steal focus from what a scenario does, or from logging errors that are not ours. */
function writeUserSettings(userDataDir, extra = {}) {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    'update.mode': 'none',
    // VS Code asks the built-in task providers (TypeScript's) for tasks and logs a console error
    // when one takes over 5 s, as on a loaded machine; no scenario uses tasks, and several fail on
    // any console error.
    'task.autoDetect': 'off',
    // The web build (code-server) saves after a 1 s delay by default; desktop VS Code, which the
    // extension targets, does not. With it on, a scenario's edit was saved before it could see the
    // tab dirty (a loaded CI machine missed the 1-2 s window) and Ctrl+S had nothing left to do.
    'files.autoSave': 'off',
    ...extra,
  };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

async function waitUntil(condition, what, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  while (!(await Promise.resolve().then(condition).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs `body(session)` in a fresh VS Code window on a copy of `workspace`. `url` may extend
 * the page address (the integration runner adds a test payload); `env` goes to code-server.
 * Saves failure artifacts and rethrows on failure; always stops Chromium and code-server.
 */
export async function withSession(run, { name, workspace = 'demo', url = (base) => base, env: extraEnv = {}, settings = {}, deviceScaleFactor = 1 }, body) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const dir = path.join(outputRoot, slug);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const home = fs.mkdtempSync(path.join(run.tempRoot, `${slug}-`));
  const userDataDir = path.join(home, 'user-data');
  const ws = copyWorkspace(workspace, path.join(home, 'workspace'));
  writeUserSettings(userDataDir, settings);
  const sessionId = path.basename(home);
  const env = { ...extraEnv, [RUN_MARKER]: run.runId, [SESSION_MARKER]: sessionId };
  let server;
  let browser;
  let session;
  try {
    server = await startCodeServer({ entry: run.entry, userDataDir, extensionsDir: run.extensionsDir,
      workspace: ws, logFile: path.join(dir, 'code-server.log'), env });
    // Playwright's own signal handlers would exit the process before our cleanup ran.
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true,
      env: { ...process.env, ...env }, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    liveBrowsers.add(browser);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor });
    page.setDefaultTimeout(STEP_TIMEOUT);
    session = new Session({ name, dir, page, workspace: ws, userDataDir, server, runId: run.runId, sessionId });
    await page.goto(url(`${server.url}/?folder=${encodeURIComponent(ws)}`));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await body(session);
  } catch (error) {
    if (session) await session.saveFailureArtifacts(error);
    else fs.writeFileSync(path.join(dir, 'error.txt'), `${error?.stack ?? error}\n`);
    throw error;
  } finally {
    if (browser) liveBrowsers.delete(browser);
    await browser?.close().catch(() => {});
    await server?.stop();
  }
}
