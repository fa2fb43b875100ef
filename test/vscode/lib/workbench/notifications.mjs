// What the workbench tells the user: the status bar, modal dialogs, notification toasts. Mixed into Workbench (browser.mjs); `this` is the Workbench.
import { clean, waitFor } from './base.mjs';

export const notifications = {
  async statusBarTexts() {
    return (await this.page.locator('.part.statusbar .statusbar-item').allInnerTexts()).map(clean).filter(Boolean);
  },

  dialog() {
    return this.page.locator('.monaco-dialog-box');
  },

  /** Waits for a modal dialog; returns {message, detail, buttons}. */
  async waitForDialog({ timeout = 30_000 } = {}) {
    const box = this.dialog();
    await box.waitFor({ state: 'visible', timeout });
    return this.readDialog();
  },

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
  },

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
  },

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
  },

  /**
   * Waits for a notification whose message matches (string contains or RegExp). A toast VS Code
   * has already hidden (it hides them after a while) is looked for in the notification center.
   */
  async waitForNotification(match, { timeout = 60_000 } = {}) {
    const test = (m) => (match instanceof RegExp ? match.test(m) : m.includes(match));
    const started = Date.now();
    let centerOpen = false;
    try {
      return await waitFor(async () => {
        const found = (await this.notifications()).find((n) => test(n.message));
        if (!found && !centerOpen && Date.now() - started > 3000) {
          await this.page.keyboard.press('Escape');
          await this.runCommand('Notifications: Show Notifications').catch(() => {});
          centerOpen = true;
        }
        return found;
      }, { timeout, message: `notification ${match}`, describe: async () => JSON.stringify(await this.notifications()) });
    } finally {
      if (centerOpen) await this.runCommand('Notifications: Hide Notifications').catch(() => {});
    }
  },

  /** Waits until no visible notification matches. */
  async waitForNotificationGone(match, { timeout = 300_000 } = {}) {
    const test = (m) => (match instanceof RegExp ? match.test(m) : m.includes(match));
    await waitFor(async () => !(await this.notifications()).some((n) => test(n.message)), {
      timeout, message: `notification ${match} to disappear`, describe: async () => JSON.stringify(await this.notifications()),
    });
  },

  /**
   * Waits for a run's progress notification (a toast whose message matches and
   * that offers Cancel) to appear, then to go away. If it is not seen within
   * `appearTimeout` (a very quick run), returns without waiting.
   * @returns {Promise<boolean>} whether the notification was seen
   */
  async waitForProgressToFinish(match, { appearTimeout = 60_000, timeout = 600_000 } = {}) {
    // A run's progress toast: it offers Cancel, or at least shows its progress bar.
    const test = (n) => (match instanceof RegExp ? match.test(n.message) : n.message.includes(match)) && (n.buttons.includes('Cancel') || n.progress);
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
  },

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
  },

  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
  },
};
