// Drives a code-server workbench in Debian Chromium through playwright-core.
//
//   const browser = await launchBrowser({ headed });
//   const wb = await openWorkbench(browser, server.url, folder);
//   await wb.openView('ModelOps Infra');
//   await wb.waitForRows((rows) => rows.every((r) => r.status === 'ready'));
//   await wb.screenshot('tree');
//
// Everything here reads what a user sees (DOM of the workbench), never extension internals.
// Selectors are VS Code 1.139's, one module per surface: quickInput, tree, notifications
// (status bar, dialogs, toasts), editor, panels (Problems, Output), trust.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { failureDir, screenshotDir, sleep } from './base.mjs';
import { editor } from './editor.mjs';
import { installFocusJournal, readFocusJournal } from './focusJournal.mjs';
import { notifications } from './notifications.mjs';
import { panels } from './panels.mjs';
import { quickInput } from './quickInput.mjs';
import { tree } from './tree.mjs';
import { trust } from './trust.mjs';

export { CHROMIUM_ARGS, failureDir, findLogFile, launchBrowser, repoRoot, screenshotDir, waitFor, wantHeaded } from './base.mjs';

/**
 * Opens `url` (code-server root) on `folder` and waits for the workbench.
 * @returns {Promise<Workbench>}
 */
export async function openWorkbench(browser, url, folder, { viewport = { width: 1600, height: 1000 }, timeout = 120_000 } = {}) {
  const context = await browser.newContext({ viewport });
  await installFocusJournal(context);
  const page = await context.newPage();
  const target = folder ? `${url.replace(/\/?$/, '/')}?folder=${encodeURIComponent(resolve(folder))}` : url;
  const started = Date.now();
  await page.goto(target, { waitUntil: 'domcontentloaded', timeout });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  // The activity bar and status bar appear once the workbench has laid out.
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
  const wb = new Workbench(page, context);
  wb.readyMs = Date.now() - started;
  return wb;
}

export class Workbench {
  constructor(page, context) {
    this.page = page;
    this.context = context;
    this.readyMs = 0;
  }

  async close() {
    await this.context.close().catch(() => {});
  }

  // ---------- screenshots ----------

  async screenshot(name, { dir = screenshotDir, fullPage = false } = {}) {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name.endsWith('.png') ? name : `${name}.png`);
    await this.page.screenshot({ path, fullPage });
    return path;
  }

  /** For mocha afterEach: a screenshot named after the failed test. */
  async failureScreenshot(title) {
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}`;
    try {
      return await this.screenshot(name, { dir: failureDir });
    } catch {
      return undefined;
    }
  }

  // ---------- keyboard / focus ----------

  /** Where focus went lately (see focusJournal.mjs): for the message of a step that lost the quick input. */
  async focusJournal(n) {
    return readFocusJournal(this.page, n);
  }

  async press(keys) {
    await this.page.keyboard.press(keys);
  }

  /** Closes quick input, menus, hovers and widgets. */
  async escape(times = 2) {
    for (let i = 0; i < times; i++) {
      await this.page.keyboard.press('Escape');
      await sleep(50);
    }
  }
}

Object.assign(Workbench.prototype, quickInput, tree, notifications, editor, panels, trust);
