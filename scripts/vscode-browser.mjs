// Drives a code-server workbench in Debian Chromium through playwright-core.
//
//   const browser = await launchBrowser({ headed });
//   const wb = await openWorkbench(browser, server.url, folder);
//   await wb.openView('ModelOps Infra');
//   await wb.waitForRows((rows) => rows.every((r) => r.status === 'ready'));
//   await wb.screenshot('tree');
//
// Everything here reads what a user sees (DOM of the workbench), never extension
// internals. Selectors are VS Code 1.139's; keep them in this file only.
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const screenshotDir = join(repoRoot, 'media', 'screenshots');
export const failureDir = join(screenshotDir, 'failures');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** True when the process was asked to show the browser (`--headed` or MOPS_HEADED=1). */
export function wantHeaded(argv = process.argv) {
  return argv.includes('--headed') || process.env.MOPS_HEADED === '1';
}

export async function launchBrowser({ headed = wantHeaded(), slowMo } = {}) {
  return chromium.launch({
    executablePath: process.env.MOPS_CHROMIUM ?? '/usr/bin/chromium',
    headless: !headed,
    args: CHROMIUM_ARGS,
    slowMo: slowMo ?? (process.env.MOPS_SLOWMO ? Number(process.env.MOPS_SLOWMO) : undefined),
  });
}

/** Newest `<channel>.log` of an extension's LogOutputChannel under a user-data-dir's logs/. */
export function findLogFile(userDataDir, channel) {
  let best;
  const walk = (dir, depth) => {
    let entries = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < 5) walk(p, depth + 1);
      else if (e.isFile() && e.name === `${channel}.log`) {
        const m = statSync(p).mtimeMs;
        if (!best || m > best.m) best = { p, m };
      }
    }
  };
  walk(join(userDataDir, 'logs'), 0);
  return best?.p;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const clean = (s) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

/** Polls fn() until it returns a truthy value; throws with `describe()` of the last value on timeout. */
export async function waitFor(fn, { timeout = 60_000, interval = 250, message = 'condition', describe } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    await sleep(interval);
  }
  let detail = '';
  try {
    detail = describe ? await describe() : JSON.stringify(last);
  } catch {
    /* ignore */
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${message}${detail ? `\nlast seen: ${detail}` : ''}${lastError ? `\nlast error: ${lastError.message}` : ''}`);
}

/**
 * Opens `url` (code-server root) on `folder` and waits for the workbench.
 * @returns {Promise<Workbench>}
 */
export async function openWorkbench(browser, url, folder, { viewport = { width: 1600, height: 1000 }, timeout = 120_000 } = {}) {
  const context = await browser.newContext({ viewport });
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

  // ---------- quick input / command palette ----------

  quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  async openQuickInput(prefix = '>') {
    const widget = this.quickInput();
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    // Start from a closed widget: one that is still closing would swallow what we type.
    if (await widget.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    }
    await this.page.keyboard.press('Control+Shift+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
    }
    await input.fill(prefix);
    return input;
  }

  /** Labels of the quick input's visible items. */
  async quickPickItems() {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((rows) =>
      rows.map((r) => ({
        label: (r.querySelector('.label-name')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        description: (r.querySelector('.label-description')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        ariaLabel: r.getAttribute('aria-label') ?? '',
      })),
    );
  }

  /** Clicks the quick-pick item whose label equals (or, failing that, starts with) `label`. */
  async pickQuickItem(label, { timeout = 30_000, exact = true } = {}) {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const index = await waitFor(async () => {
      const items = await this.quickPickItems();
      let i = items.findIndex((it) => it.label === label);
      if (i < 0 && !exact) i = items.findIndex((it) => it.label.startsWith(label) || it.ariaLabel.startsWith(label));
      return i >= 0 ? i + 1 : 0;
    }, { timeout, message: `quick pick item "${label}"`, describe: async () => JSON.stringify(await this.quickPickItems()) });
    await rows.nth(index - 1).click();
  }

  /**
   * Runs a command by its palette title ("ModelOps: Up"), as a user would:
   * Control+Shift+P, type the title, choose the exactly matching entry.
   */
  async runCommand(title, { timeout = 60_000 } = {}) {
    // The palette lists commands as they were when it opened (an extension that is
    // still activating may be missing): reopen it until the entry shows up.
    const deadline = Date.now() + timeout;
    for (;;) {
      const input = await this.openQuickInput('>');
      await input.fill(`>${title}`);
      try {
        await this.pickQuickItem(title, { timeout: Math.min(5000, Math.max(1000, deadline - Date.now())) });
        return;
      } catch (e) {
        if (Date.now() >= deadline) throw e;
        await this.escape(1);
        await sleep(500);
      }
    }
  }

  /** Is a command title offered in the palette right now? */
  async commandAvailable(title) {
    const input = await this.openQuickInput('>');
    await input.fill(`>${title}`);
    await sleep(500);
    const items = await this.quickPickItems();
    await this.escape(1);
    return items.some((it) => it.label === title);
  }

  // ---------- views / tree ----------

  /** Clicks the activity-bar entry whose aria-label starts with `title` (unless already open). */
  async openView(title = 'ModelOps Infra', { timeout = 60_000 } = {}) {
    const item = this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"], .part.activitybar .action-item [aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout });
    const container = item.locator('xpath=ancestor::li[contains(@class,"action-item")]');
    const checked = await container.getAttribute('aria-checked').catch(() => null)
      ?? await container.getAttribute('aria-pressed').catch(() => null);
    const active = (await container.getAttribute('class').catch(() => '')).includes('checked');
    if (!(checked === 'true' || active)) await item.click();
    // A container with a single view hides that view's header: wait for the sidebar title instead.
    await this.page.locator('.part.sidebar .composite.title', { hasText: title }).first().waitFor({ state: 'visible', timeout });
    await this.page.locator('.part.sidebar .pane-body').first().waitFor({ state: 'visible', timeout });
  }

  /** Drags the sash between the sidebar and the editor so the sidebar is `width` px wide (for readable screenshots). */
  async setSidebarWidth(width = 460) {
    const sidebar = this.page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    if (!box || Math.abs(box.width - width) < 4) return;
    const edge = box.x + box.width;
    const sashes = this.page.locator('.monaco-sash.vertical');
    const n = await sashes.count();
    for (let i = 0; i < n; i++) {
      const b = await sashes.nth(i).boundingBox();
      if (!b || Math.abs(b.x + b.width / 2 - edge) > 6 || b.height < box.height / 2) continue;
      const x = b.x + b.width / 2;
      const y = b.y + b.height / 2;
      await this.page.mouse.move(x, y);
      await this.page.mouse.down();
      await this.page.mouse.move(x + (width - box.width), y, { steps: 5 });
      await this.page.mouse.up();
      return;
    }
  }

  /** The sidebar pane (view) with the given name, e.g. "Components". */
  viewPane(viewName) {
    const sidebar = this.page.locator('.part.sidebar');
    if (!viewName) return sidebar;
    return sidebar.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: viewName }) }).first();
  }

  /**
   * Rows of the tree in the sidebar (optionally in the named view):
   * [{label, description, ariaLabel, status, level, tooltip}] where status is the
   * description's first word (`ready`, `outputs-missing`, `blocked`, `up…`).
   */
  async treeRows(viewName) {
    const pane = this.viewPane(viewName);
    const rows = await pane.locator('.monaco-list-row').evaluateAll((els) =>
      els.map((r) => ({
        label: r.querySelector('.label-name')?.textContent ?? '',
        description: r.querySelector('.label-description')?.textContent ?? '',
        ariaLabel: r.getAttribute('aria-label') ?? '',
        level: Number(r.getAttribute('aria-level') ?? '1'),
        title: r.querySelector('.monaco-icon-label')?.getAttribute('title') ?? r.getAttribute('title') ?? '',
      })),
    );
    return rows.map((r) => {
      const description = clean(r.description);
      return {
        label: clean(r.label),
        description,
        ariaLabel: clean(r.ariaLabel),
        level: r.level,
        tooltip: clean(r.title),
        status: description.split(/[\s—,(]/)[0] ?? '',
      };
    });
  }

  /** A row by label (first match), or undefined. */
  async treeRow(label, viewName) {
    return (await this.treeRows(viewName)).find((r) => r.label === label);
  }

  /** Polls the tree until predicate(rows) is true; returns the rows. */
  async waitForRows(predicate, { viewName, timeout = 300_000, message = 'tree rows' } = {}) {
    let rows;
    await waitFor(async () => {
      rows = await this.treeRows(viewName);
      return rows.length > 0 && predicate(rows);
    }, { timeout, interval: 500, message, describe: async () => JSON.stringify((await this.treeRows(viewName)).map((r) => `${r.label}: ${r.description}`)) });
    return rows;
  }

  /** Waits until each named row's status satisfies the given expectation (string or RegExp or fn). */
  async waitForStatuses(expected, opts = {}) {
    const ok = (row, want) => {
      if (!row) return false;
      if (typeof want === 'function') return want(row);
      if (want instanceof RegExp) return want.test(row.description);
      return row.status === want;
    };
    return this.waitForRows((rows) => Object.entries(expected).every(([label, want]) => ok(rows.find((r) => r.label === label), want)), {
      message: `statuses ${JSON.stringify(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, String(v)])))}`,
      ...opts,
    });
  }

  /** Clicks a tree row (selects it), by label. */
  async selectRow(label, viewName) {
    await this.viewPane(viewName).locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first().click();
  }

  /** The sidebar's title as shown (a container with one view shows that view's title in it). */
  async sidebarTitle() {
    return clean(await this.page.locator('.part.sidebar .composite.title').first().innerText());
  }

  /** Clicks a view title action (the icons at the top right of the sidebar) by its tooltip. */
  async clickViewTitleAction(label, { timeout = 30_000 } = {}) {
    const action = this.page.locator(`.part.sidebar .composite.title .actions-container .action-label[aria-label="${label}"]`).first();
    await action.waitFor({ state: 'visible', timeout });
    await action.click();
  }

  /** Right-click a tree row and choose a context-menu entry. */
  async treeRowContextAction(label, action, viewName) {
    const row = this.viewPane(viewName).locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first();
    await row.click({ button: 'right' });
    // Menu items listen on the item (an anchor), not on its label; the menu lives in a shadow root.
    const item = this.page.locator('.monaco-menu .action-menu-item', { hasText: action }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await item.hover();
    await item.click();
    await item.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  // ---------- status bar ----------

  async statusBarTexts() {
    return (await this.page.locator('.part.statusbar .statusbar-item').allInnerTexts()).map(clean).filter(Boolean);
  }

  // ---------- dialogs ----------

  dialog() {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Waits for a modal dialog; returns {message, detail, buttons}. */
  async waitForDialog({ timeout = 30_000 } = {}) {
    const box = this.dialog();
    await box.waitFor({ state: 'visible', timeout });
    return this.readDialog();
  }

  async readDialog() {
    const d = await this.dialog().first().evaluate((box) => {
      const text = (sel) => box.querySelector(sel)?.innerText ?? '';
      return {
        message: text('.dialog-message-text'),
        detail: text('.dialog-message-detail'),
        buttons: [...box.querySelectorAll('.monaco-button')].map((b) => b.innerText),
        checkbox: text('.dialog-checkbox-row'),
        text: box.innerText,
      };
    });
    return {
      message: clean(d.message),
      detail: d.detail.replace(/\u00a0/g, ' ').trim(),
      buttons: d.buttons.map(clean).filter(Boolean),
      checkbox: clean(d.checkbox),
      text: clean(d.text),
    };
  }

  /** Clicks a modal dialog button by its text. */
  async answerDialog(buttonText, { timeout = 30_000 } = {}) {
    const box = this.dialog();
    await box.waitFor({ state: 'visible', timeout });
    const buttons = box.locator('.monaco-button');
    const texts = (await buttons.allInnerTexts()).map(clean);
    let i = texts.findIndex((t) => t === buttonText);
    if (i < 0) i = texts.findIndex((t) => t.startsWith(buttonText));
    if (i < 0) {
      // Secondary choices may sit behind the dropdown of a split button.
      throw new Error(`dialog has no button "${buttonText}"; buttons: ${JSON.stringify(texts)}`);
    }
    await buttons.nth(i).click();
    await box.waitFor({ state: 'hidden', timeout });
  }

  // ---------- notifications ----------

  /** Visible notification toasts: [{message, source, buttons, progress}]. */
  async notifications() {
    return this.page.locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item').evaluateAll((els) =>
      els.map((e) => ({
        message: (e.querySelector('.notification-list-item-message')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        source: (e.querySelector('.notification-list-item-source')?.textContent ?? '').trim(),
        buttons: [...e.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => b.textContent.trim()),
        progress: !!e.querySelector('.monaco-progress-container.active'),
      })),
    );
  }

  /** Waits for a notification whose message matches (string contains or RegExp). */
  async waitForNotification(match, { timeout = 60_000 } = {}) {
    const test = (m) => (match instanceof RegExp ? match.test(m) : m.includes(match));
    return waitFor(async () => (await this.notifications()).find((n) => test(n.message)), {
      timeout, message: `notification ${match}`, describe: async () => JSON.stringify(await this.notifications()),
    });
  }

  /** Waits until no visible notification matches. */
  async waitForNotificationGone(match, { timeout = 300_000 } = {}) {
    const test = (m) => (match instanceof RegExp ? match.test(m) : m.includes(match));
    await waitFor(async () => !(await this.notifications()).some((n) => test(n.message)), {
      timeout, message: `notification ${match} to disappear`, describe: async () => JSON.stringify(await this.notifications()),
    });
  }

  /**
   * Waits for a run's progress notification (a toast whose message matches and
   * that offers Cancel) to appear, then to go away. If it is not seen within
   * `appearTimeout` (a very quick run), returns without waiting.
   * @returns {Promise<boolean>} whether the notification was seen
   */
  async waitForProgressToFinish(match, { appearTimeout = 60_000, timeout = 600_000 } = {}) {
    const test = (n) => (match instanceof RegExp ? match.test(n.message) : n.message.includes(match)) && n.buttons.includes('Cancel');
    let seen = false;
    try {
      await waitFor(async () => (await this.notifications()).some(test), { timeout: appearTimeout, interval: 200, message: `progress ${match}` });
      seen = true;
    } catch {
      return false;
    }
    await waitFor(async () => !(await this.notifications()).some(test), {
      timeout, interval: 500, message: `progress ${match} to finish`, describe: async () => JSON.stringify(await this.notifications()),
    });
    return seen;
  }

  /** Clicks a button (e.g. "Cancel") on the notification whose message matches. */
  async clickNotificationButton(match, buttonText, { timeout = 60_000 } = {}) {
    const test = (m) => (match instanceof RegExp ? match.test(m) : m.includes(match));
    await this.waitForNotification(match, { timeout });
    const toasts = this.page.locator('.notifications-toasts .notification-toast');
    const n = await toasts.count();
    for (let i = 0; i < n; i++) {
      const t = toasts.nth(i);
      const msg = clean(await t.locator('.notification-list-item-message').first().innerText({ timeout: 2000 }).catch(() => ''));
      if (!test(msg)) continue;
      const button = t.locator('.notification-list-item-buttons-container .monaco-button', { hasText: buttonText }).first();
      await t.hover();
      await button.click({ timeout: 10_000 });
      return;
    }
    throw new Error(`no notification toast ${match} with button ${buttonText}: ${JSON.stringify(await this.notifications())}`);
  }

  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
  }

  // ---------- editor ----------

  /** Opens a workspace file through Quick Open (as a user would), optionally at a line. */
  async openFile(relativePath, line) {
    const input = await this.openQuickInput('');
    await input.fill(relativePath);
    const base = relativePath.split('/').pop();
    await waitFor(async () => (await this.quickPickItems()).some((it) => it.label === base), { timeout: 30_000, message: `quick open ${relativePath}` });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab[aria-label^="${base}"], .tabs-container .tab.active`).first().waitFor({ timeout: 30_000 });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
    if (line) await this.goToLine(line);
  }

  async goToLine(line, column) {
    const input = await this.openQuickInput(':');
    await input.fill(`:${line}${column ? `:${column}` : ''}`);
    await sleep(200);
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  }

  /** Cursor position from the status bar ("Ln 3, Col 1"). */
  async cursorPosition() {
    const texts = await this.statusBarTexts();
    const t = texts.find((s) => /^Ln \d+, Col \d+/.test(s));
    const m = t && /^Ln (\d+), Col (\d+)/.exec(t);
    return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
  }

  /** Ctrl+. in the active editor and pick the code action whose title contains `title`. */
  async quickFix(title, { timeout = 30_000 } = {}) {
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    const items = this.page.locator('.action-widget .monaco-list-row');
    await waitFor(async () => {
      if (!(await items.first().isVisible().catch(() => false))) {
        await editor.locator('.view-lines').click({ position: { x: 5, y: 5 }, trial: true }).catch(() => {});
        await this.page.keyboard.press('Control+.');
        await sleep(700);
      }
      const labels = await this.codeActionTitles();
      return labels.some((l) => l.includes(title));
    }, { timeout, message: `code action "${title}"`, describe: async () => JSON.stringify(await this.codeActionTitles()) });
    await items.filter({ hasText: title }).first().click();
  }

  async codeActionTitles() {
    return (await this.page.locator('.action-widget .monaco-list-row').evaluateAll((rows) =>
      rows.map((r) => (r.getAttribute('aria-label') || r.textContent || '').replace(/\u00a0/g, ' ').trim()),
    )).filter(Boolean);
  }

  /** Replaces the active editor's whole text by typing (select all + type) and saves. */
  async replaceEditorText(text) {
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.insertText(text);
    await this.page.keyboard.press('Control+S');
  }

  // ---------- panel: problems / output ----------

  /** Opens the Problems panel and returns its marker rows. */
  async openProblems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible().catch(() => false))) {
      await this.page.keyboard.press('Control+Shift+M');
      try {
        await panel.waitFor({ state: 'visible', timeout: 5000 });
      } catch {
        await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
        await panel.waitFor({ state: 'visible', timeout: 30_000 });
      }
    }
    return this.problems();
  }

  /**
   * Problems panel rows: [{kind:'file'|'marker', text, ariaLabel, severity, line, column, source}].
   * Marker rows carry the message, source ("modelops-infra") and "[Ln N, Col M]".
   */
  async problems() {
    const rows = await this.page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
      els.map((r) => ({
        ariaLabel: r.getAttribute('aria-label') ?? '',
        text: r.innerText ?? '',
        marker: !!r.querySelector('.marker-message-details, .marker-icon'),
        error: !!r.querySelector('.codicon-error, .marker-icon.error'),
        warning: !!r.querySelector('.codicon-warning, .marker-icon.warning'),
        lineText: r.querySelector('.marker-line')?.textContent ?? '',
        source: r.querySelector('.marker-source')?.textContent ?? '',
        code: r.querySelector('.marker-code')?.textContent ?? '',
      })),
    );
    return rows.map((r) => {
      const text = clean(r.text);
      const pos = /Ln (\d+), Col (\d+)/.exec(r.lineText || text) ?? /line (\d+)(?: column| and character) (\d+)/i.exec(r.ariaLabel);
      return {
        // Related-information rows read "azure.yaml[Ln 4, Col 1]: workspace reads …".
        kind: /^\S+\[Ln \d+, Col \d+\]:/.test(text) ? 'related' : r.marker ? 'marker' : 'file',
        // The aria-label starts with the severity; the icon is replaced by a light bulb on the focused row.
        severity: /^Error\b/.test(r.ariaLabel) ? 'error' : /^Warning\b/.test(r.ariaLabel) ? 'warning' : /^Info\b/.test(r.ariaLabel) ? 'info'
          : r.error ? 'error' : r.warning ? 'warning' : r.marker ? 'info' : undefined,
        text,
        ariaLabel: clean(r.ariaLabel),
        line: pos ? Number(pos[1]) : undefined,
        column: pos ? Number(pos[2]) : undefined,
        source: clean(r.source),
        code: clean(r.code),
      };
    });
  }

  async waitForProblems(predicate, { timeout = 120_000 } = {}) {
    let rows;
    await waitFor(async () => {
      rows = await this.problems();
      return predicate(rows);
    }, { timeout, message: 'problems', describe: async () => JSON.stringify(await this.problems()) });
    return rows;
  }

  /** Shows the named output channel in the Output panel. */
  async showOutputChannel(name = 'ModelOps Infra') {
    await this.runCommand('Output: Show Output Channels...');
    await this.pickQuickItem(name, { exact: false });
    await this.page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first().waitFor({ state: 'visible', timeout: 30_000 });
  }

  /** The output editor locator (in the panel). */
  outputEditor() {
    return this.page.locator('.part.panel .output-view .monaco-editor').first();
  }

  /**
   * Reads the whole text of the output channel as displayed, by scrolling the
   * output editor from top to bottom and collecting its rendered lines
   * (Monaco only renders visible lines).
   */
  async readOutputChannel(name = 'ModelOps Infra') {
    await this.showOutputChannel(name);
    const editor = this.outputEditor();
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    const file = this.userDataDir ? findLogFile(this.userDataDir, name) : undefined;
    if (!file) return this.readOutputByScrolling(editor);
    // A LogOutputChannel's Output view shows its log file. Read the file, and check
    // the view really shows it: its last line must be on screen at the end.
    const text = readFileSync(file, 'utf8');
    const last = text.trimEnd().split('\n').pop() ?? '';
    const tail = last.replace(/\s+/g, ' ').trim().slice(0, 40);
    if (tail) {
      await editor.evaluate((ed) => ed.querySelector('textarea')?.focus());
      await this.page.keyboard.press('Control+End');
      await waitFor(async () => {
        const shown = clean(await editor.locator('.view-lines').innerText({ timeout: 2000 }).catch(() => ''));
        return shown.includes(tail);
      }, { timeout: 15_000, interval: 250, message: `the Output view to show "${tail}"` }).catch(() => {
        /* the view may have moved on; the file is the source of truth */
      });
    }
    return text;
  }

  /** Reads the output editor's text from its rendered lines, scrolling top to bottom (wrapped lines come out split). */
  async readOutputByScrolling(editor) {
    const lines = new Map();
    const collect = async () => {
      const got = await editor.evaluate((ed) => {
        const lineHeight = parseFloat(ed.querySelector('.view-line')?.style.height || '0') || 19;
        return [...ed.querySelectorAll('.view-lines .view-line')].map((l) => ({
          top: parseFloat(l.style.top || '0'),
          text: l.textContent ?? '',
          lineHeight,
        }));
      });
      let added = 0;
      for (const g of got) {
        const index = Math.round(g.top / g.lineHeight);
        if (!lines.has(index)) added++;
        lines.set(index, g.text.replace(/\u00a0/g, ' '));
      }
      return added;
    };
    const box = await editor.boundingBox();
    // To the top: put the cursor at the start of the (read-only) output editor.
    await editor.evaluate((ed) => ed.querySelector('textarea')?.focus());
    await this.page.keyboard.press('Control+Home');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 50; i++) {
      const top = await editor.evaluate((ed) => {
        const tops = [...ed.querySelectorAll('.view-lines .view-line')].map((l) => parseFloat(l.style.top || '0'));
        return tops.length ? Math.min(...tops) : 0;
      });
      if (top <= 0) break;
      await this.page.mouse.wheel(0, -100_000);
      await sleep(50);
    }
    let idle = 0;
    while (idle < 3) {
      const added = await collect();
      idle = added === 0 ? idle + 1 : 0;
      await this.page.mouse.wheel(0, Math.max(100, box.height * 0.8));
      await sleep(80);
    }
    const max = Math.max(-1, ...lines.keys());
    const out = [];
    for (let i = 0; i <= max; i++) out.push(lines.get(i) ?? '');
    return out.join('\n');
  }

  /** Polls the output channel until `match` (string or RegExp) appears; returns the text. */
  async waitForOutput(match, { name = 'ModelOps Infra', timeout = 120_000 } = {}) {
    const test = (t) => (match instanceof RegExp ? match.test(t) : t.includes(match));
    let text = '';
    await waitFor(async () => {
      text = await this.readOutputChannel(name);
      return test(text);
    }, { timeout, interval: 1000, message: `output channel "${name}" to show ${match}`, describe: async () => text.slice(-2000) });
    return text;
  }

  // ---------- workspace trust ----------

  /**
   * Chooses "Don't Trust" for the opened folder and waits for Restricted Mode.
   * Desktop VS Code asks with a modal ("Do you trust the authors…"); code-server
   * 4.139 opens an untrusted folder straight in Restricted Mode (banner + status
   * bar entry), so both are handled.
   */
  async chooseRestricted({ timeout = 60_000 } = {}) {
    await waitFor(async () => {
      if (await this.dialog().isVisible().catch(() => false)) {
        const d = await this.readDialog();
        const no = d.buttons.find((t) => /^No, I don't trust|^Don't Trust/i.test(t));
        if (no) await this.answerDialog(no);
      }
      return this.isRestricted();
    }, { timeout, message: 'Restricted Mode', describe: async () => JSON.stringify(await this.statusBarTexts()) });
  }

  /** True when the workbench shows Restricted Mode (status bar entry or banner). */
  async isRestricted() {
    const texts = await this.statusBarTexts();
    if (texts.some((t) => /Restricted Mode/i.test(t))) return true;
    const banner = clean(await this.page.locator('.monaco-workbench .part.banner').first().innerText({ timeout: 1000 }).catch(() => ''));
    return /Restricted Mode/i.test(banner);
  }
}
