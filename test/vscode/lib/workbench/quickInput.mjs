// The quick input: the command palette and quick picks. Mixed into Workbench (browser.mjs); `this` is the Workbench.
import { sleep, waitFor } from './base.mjs';

export const quickInput = {
  quickInput() {
    return this.page.locator('.quick-input-widget');
  },

  async openQuickInput(prefix = '>') {
    const widget = this.quickInput();
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    // Start from a closed widget: one that is still closing would swallow what we type.
    if (await widget.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    }
    await this.leaveSidebarList();
    await this.page.keyboard.press('Control+Shift+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
    }
    try {
      await input.fill(prefix, { timeout: 10_000 });
    } catch (e) {
      e.message += `\nwhere focus went:\n${await this.focusJournal()}`;
      throw e;
    }
    return input;
  },

  /**
   * Moves the focus from a list of the sidebar (the Components tree) to the editor group. VS Code's
   * tree view focuses itself again at the end of a refresh while it believes it has the focus, and
   * learns of a blur only in a timer after it: a row that changes just as the palette opens pulls
   * the focus back and the palette closes (up.e2e, "the Problems panel…": the palette was hidden
   * 80 ms after it opened, the focus back on the Components tree). The steps here run commands;
   * they do not race the tree (b83f3e9 made the tree repaint only rows that change).
   */
  async leaveSidebarList() {
    const inList = () => this.page.evaluate(() => !!document.activeElement?.closest('.part.sidebar .monaco-list'));
    if (!(await inList())) return;
    await this.page.keyboard.press('Control+1'); // Focus First Editor Group
    await waitFor(async () => !(await inList()), { timeout: 5000, message: 'the focus leaves the sidebar' });
    // The tree's blur timer was set during the blur, so it runs before this one: then it knows.
    await this.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  },

  /** Labels of the quick input's visible items. */
  async quickPickItems() {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((rows) =>
      rows.map((r) => ({
        label: (r.querySelector('.label-name')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        description: (r.querySelector('.label-description')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        ariaLabel: r.getAttribute('aria-label') ?? '',
      })),
    );
  },

  /**
   * Clicks the quick-pick item whose label equals (or, failing that, starts with) `label`.
   * The row is found by what it shows at the moment of the click, never by its position in
   * an earlier read: a Monaco list places each row by its `top`, and while the quick input opens
   * (it grows into place over ~150 ms) the list renders its rows again, so their order in the
   * DOM is not their order on screen. `nth(i)` of an earlier read then named the next row — seen:
   * "Repair cluster" clicked storage's row (mousedown at storage's centre) and repaired storage.
   */
  async pickQuickItem(label, { timeout = 30_000, exact = true } = {}) {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    // The whole label of the item to click: the label itself, or the first that starts with it.
    const shown = await waitFor(async () => {
      const items = await this.quickPickItems();
      const found = items.find((it) => it.label === label) ?? (exact ? undefined : items.find((it) => it.label.startsWith(label) || it.ariaLabel.startsWith(label)));
      return found?.label;
    }, { timeout, message: `quick pick item "${label}"`, describe: async () => JSON.stringify(await this.quickPickItems()) });
    // The whole label must be `shown`: the palette highlights what was typed in a span of its own,
    // so "ModelOps: Up" is also the exact text of a span inside "ModelOps: Up with Force Recreate".
    const whole = new RegExp(`^\\s*${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const row = rows.filter({ visible: true, has: this.page.locator('.label-name', { hasText: whole }) }).first();
    await row.click({ timeout });
  },

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
  },
};
