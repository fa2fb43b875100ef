// Help while typing azure.yaml, in its own session (no stacks needed): Ctrl+Space offers the
// keys that fit and what each means, and a hover says what a key is. Screenshots for the README.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lineOf, openComponents, scenarioHooks, startSession, waitFor } from './lib/harness.mjs';

describe('Completion and hover in azure.yaml', function () {
  let s;
  before(async function () {
    s = await startSession({ name: 'editor' });
    await openComponents(s.wb);
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('Ctrl+Space in azure.yaml offers the keys that fit, with what each means', async function () {
    await s.wb.clearNotifications();
    const text = readFileSync(s.configPath, 'utf8');
    await s.wb.openFile('azure.yaml', text.split('\n').length);
    await s.wb.press('End');
    await s.wb.page.keyboard.insertText('\nacr:\n  ');
    await s.wb.press('Control+Space');
    const suggest = s.wb.page.locator('.editor-widget.suggest-widget');
    await suggest.waitFor({ state: 'visible', timeout: 30_000 });
    const labels = await waitFor(async () => {
      const found = (await suggest.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
      return found.includes('sku') && found;
    }, { timeout: 30_000, message: 'acr keys in the suggestions' });
    assert.deepEqual(labels.slice(0, 3), ['name', 'sku', 'per_user_registry']);
    // Ctrl+Space again opens what the selected key means beside the list.
    await s.wb.press('Control+Space');
    await s.wb.page.locator('.suggest-details').first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await s.wb.page.locator('.suggest-details').first().innerText(), /name · string/);
    await s.wb.screenshot('completion');
    await s.wb.escape();
    await s.wb.runCommand('File: Revert File');
  });

  it('a hover on a key of azure.yaml says what it is', async function () {
    const text = readFileSync(s.configPath, 'utf8');
    await s.wb.openFile('azure.yaml', lineOf(text, 'provider:'));
    await s.wb.press('Home');
    await s.wb.runCommand('Show or Focus Hover');
    const hover = s.wb.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover-content').first();
    await waitFor(async () => /provider · string/.test(await hover.innerText().catch(() => '')), { timeout: 30_000, message: 'the hover on provider' });
    assert.match(await hover.innerText(), /Values: azure, kubernetes, local/);
    await s.wb.screenshot('hover');
    await s.wb.escape();
    // Leave the workbench as the scenario found it: no editor, nothing focused in one.
    await s.wb.runCommand('View: Close All Editors');
  });
});
