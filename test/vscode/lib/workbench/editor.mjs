// The editor: files, the cursor, code actions. Mixed into Workbench (browser.mjs); `this` is the Workbench.
import { sleep, waitFor } from './base.mjs';

export const editor = {
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
  },

  /** Go to Line (Ctrl+G's quick input), until the status bar shows the cursor on that line. */
  async goToLine(line, column) {
    await waitFor(async () => {
      const input = await this.openQuickInput(':');
      await input.fill(`:${line}${column ? `:${column}` : ''}`);
      await this.page.keyboard.press('Enter');
      await this.quickInput().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
      return (await this.cursorPosition())?.line === line;
    }, { timeout: 30_000, interval: 100, message: `the cursor on line ${line}`, describe: async () => JSON.stringify(await this.cursorPosition()) });
  },

  /** Cursor position from the status bar ("Ln 3, Col 1"). */
  async cursorPosition() {
    const texts = await this.statusBarTexts();
    const t = texts.find((s) => /^Ln \d+, Col \d+/.test(s));
    const m = t && /^Ln (\d+), Col (\d+)/.exec(t);
    return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
  },

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
  },

  async codeActionTitles() {
    return (await this.page.locator('.action-widget .monaco-list-row').evaluateAll((rows) =>
      rows.map((r) => (r.getAttribute('aria-label') || r.textContent || '').replace(/\u00a0/g, ' ').trim()),
    )).filter(Boolean);
  },

  /**
   * Saves the active editor once it holds unsaved changes, and waits until it is saved. An edit
   * that lands asynchronously (a code action's comes from the extension host after the click)
   * must be in the editor before Ctrl+S, or the save finds nothing to save and the edit stays
   * unsaved (seen on a loaded machine).
   */
  async saveActiveEditor({ timeout = 30_000 } = {}) {
    const dirty = this.page.locator('.tabs-container .tab.active.dirty');
    await dirty.first().waitFor({ timeout });
    await this.page.keyboard.press('Control+S');
    await dirty.first().waitFor({ state: 'detached', timeout });
  },

  /** Replaces the active editor's whole text by typing (select all + type) and saves. */
  async replaceEditorText(text) {
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.insertText(text);
    await this.page.keyboard.press('Control+S');
  },
};
