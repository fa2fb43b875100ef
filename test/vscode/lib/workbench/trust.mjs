// Workspace Trust: Restricted Mode. Mixed into Workbench (browser.mjs); `this` is the Workbench.
import { clean, waitFor } from './base.mjs';

export const trust = {
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
  },

  /** True when the workbench shows Restricted Mode (status bar entry or banner). */
  async isRestricted() {
    const texts = await this.statusBarTexts();
    if (texts.some((t) => /Restricted Mode/i.test(t))) return true;
    const banner = clean(await this.page.locator('.monaco-workbench .part.banner').first().innerText({ timeout: 1000 }).catch(() => ''));
    return /Restricted Mode/i.test(banner);
  },
};
