// The walkthrough in the real VS Code: where a config exists its first step is "Open your config"
// (never an offer to create a second one, and selecting it is doing it), and each step ticks when
// it is done: Run Up once something exists, Watch the tree once the view is shown.
// VS Code registers a walkthrough's completion events when the walkthrough is first shown: what
// was done before that does not tick (a context already true then never counts as an event).
import assert from 'node:assert/strict';
import { COMPONENTS, configYaml, openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

describe('the walkthrough', function () {
  let s;
  before(async function () {
    s = await startSession({ name: 'walkthrough', yaml: configYaml() });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  /** Each step's id (ours, without the walkthrough's prefix) and whether VS Code shows it done. */
  const steps = async () =>
    Object.fromEntries(await s.wb.page.locator('.getting-started-step').evaluateAll((els) => els.map((e) => [(e.getAttribute('data-step-id') ?? '').split('#').pop(), e.getAttribute('aria-checked') === 'true'])));

  it('with azure.yaml there: opening it, Up and the tree tick their steps; nothing offers to create azure.yaml', async function () {
    await s.wb.runCommand('Welcome: Open Walkthrough...');
    await s.wb.pickQuickItem('Get started with ModelOps Infra', { exact: false });
    const first = await waitFor(async () => {
      const shown = await steps();
      return Object.keys(shown).length >= 5 && shown;
    }, { timeout: 60_000, message: 'the walkthrough steps' });
    assert.deepEqual(Object.keys(first), ['configOpen', 'provider', 'up', 'watch', 'repair'], 'no "Create azure.yaml" step beside an existing config');

    // The tree first: it also takes the focus back from the Welcome page, which keeps the palette's keys.
    await openComponents(s.wb);
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
    await waitForComponents(s.wb, Object.fromEntries(COMPONENTS.map((c) => [c, /^ready$/])), { timeout: 120_000 });
    await s.wb.runCommand('ModelOps: Open Config');
    // The editor takes the focus when it opens: a palette opened before that would lose it and close.
    await s.wb.page.locator('.tabs-container .tab.active', { hasText: 'azure.yaml' }).waitFor({ state: 'visible', timeout: 30_000 });
    await s.wb.runCommand('Welcome: Open Walkthrough...');
    await s.wb.pickQuickItem('Get started with ModelOps Infra', { exact: false });
    const done = await waitFor(async () => {
      const shown = await steps();
      return shown.configOpen && shown.up && shown.watch && shown;
    }, { timeout: 60_000, message: 'the steps ticked' });
    assert.deepEqual(done, { configOpen: true, provider: false, up: true, watch: true, repair: false });
    await s.wb.screenshot('walkthrough');
  });
});
