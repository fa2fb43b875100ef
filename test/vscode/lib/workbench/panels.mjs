// The panel: Problems and Output. Mixed into Workbench (browser.mjs); `this` is the Workbench.
import { readFileSync } from 'node:fs';
import { clean, findLogFile, sleep, waitFor } from './base.mjs';

export const panels = {
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
  },

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
  },

  async waitForProblems(predicate, { timeout = 120_000 } = {}) {
    let rows;
    await waitFor(async () => {
      rows = await this.problems();
      return predicate(rows);
    }, { timeout, message: 'problems', describe: async () => JSON.stringify(await this.problems()) });
    return rows;
  },

  /** Shows the named output channel in the Output panel. */
  async showOutputChannel(name = 'ModelOps Infra') {
    await this.runCommand('Output: Show Output Channels...');
    await this.pickQuickItem(name, { exact: false });
    await this.page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first().waitFor({ state: 'visible', timeout: 30_000 });
  },

  /** The output editor locator (in the panel). */
  outputEditor() {
    return this.page.locator('.part.panel .output-view .monaco-editor').first();
  },

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
  },

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
  },

  /** Polls the output channel until `match` (string or RegExp) appears; returns the text. */
  async waitForOutput(match, { name = 'ModelOps Infra', timeout = 120_000 } = {}) {
    const test = (t) => (match instanceof RegExp ? match.test(t) : t.includes(match));
    let text = '';
    await waitFor(async () => {
      text = await this.readOutputChannel(name);
      return test(text);
    }, { timeout, interval: 1000, message: `output channel "${name}" to show ${match}`, describe: async () => text.slice(-2000) });
    return text;
  },
};
