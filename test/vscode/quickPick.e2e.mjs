// The quick pick helper against a list that renders its rows again right after they are read,
// as VS Code's quick input does while it opens: a Monaco list places each row by its `top`, so
// its DOM order is not its order on screen. The up.e2e step "an update of the cluster that omits
// kubeconfig…" failed one run in a few because a pick of "cluster" by DOM position clicked
// storage's row (the run repaired storage; every row stayed ready). Here the re-render comes
// after every read, so a pick by position fails every time, not one run in a few.
import assert from 'node:assert/strict';
import { launchBrowser } from './lib/workbench/base.mjs';
import { quickInput } from './lib/workbench/quickInput.mjs';

/** Rows at fixed `top`s; the first read of a label renders the list again, in reverse DOM order. */
const PAGE = `<!doctype html><body>
<div class="quick-input-widget"><div class="quick-input-list" style="position:relative;height:200px">
${['cluster', 'storage', 'workspace', 'adaptive-default'].map((name, i) => `<div class="monaco-list-row" aria-label="${name}, ready" style="position:absolute;top:${i * 44}px;height:44px;width:300px"><span class="label-name">${name}</span></div>`).join('')}
</div></div>
<script>
(() => {
  window.picked = [];
  const list = document.querySelector('.quick-input-list');
  const text = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent').get;
  let rendered = false;
  const renderAgain = () => { for (const row of [...list.children].reverse()) list.appendChild(row); };
  for (const row of list.children) {
    const label = row.querySelector('.label-name');
    row.addEventListener('click', () => window.picked.push(text.call(label)));
    Object.defineProperty(label, 'textContent', {
      get() {
        if (!rendered) { rendered = true; setTimeout(renderAgain, 0); }
        return text.call(this);
      },
    });
  }
})();
</script>`;

describe('quick pick helper', function () {
  let browser;
  let wb;
  before(async () => {
    browser = await launchBrowser();
    const page = await (await browser.newContext()).newPage();
    wb = Object.assign(Object.create(quickInput), { page });
  });
  after(async () => browser?.close());

  it('clicks the row that shows the label, whatever the DOM order became since it was read', async () => {
    await wb.page.setContent(PAGE);
    await wb.pickQuickItem('cluster');
    assert.deepEqual(await wb.page.evaluate(() => window.picked), ['cluster']);
    // The list really was rendered again: the first row in the DOM is the last on screen.
    assert.equal(await wb.page.locator('.monaco-list-row').first().getAttribute('aria-label'), 'adaptive-default, ready');
  });

  it('clicks the row whose whole label it is, not one that shows it highlighted inside a longer label', async () => {
    // As the command palette shows it after "ModelOps: Up with Force Recreate" ran: recently used first, the typed text highlighted.
    const palette = `<!doctype html><body><script>window.picked = [];</script><div class="quick-input-widget"><div class="quick-input-list">${['ModelOps: Up with Force Recreate', 'ModelOps: Up']
      .map((label) => `<div class="monaco-list-row" onclick="window.picked.push('${label}')"><span class="label-name"><span class="highlight">ModelOps: Up</span>${label.slice('ModelOps: Up'.length)}</span></div>`)
      .join('')}</div></div>`;
    await wb.page.setContent(palette);
    await wb.pickQuickItem('ModelOps: Up');
    assert.deepEqual(await wb.page.evaluate(() => window.picked), ['ModelOps: Up']);
  });

  it('with exact: false, clicks the first row whose label starts with it', async () => {
    await wb.page.setContent(PAGE);
    await wb.pickQuickItem('adaptive', { exact: false });
    assert.deepEqual(await wb.page.evaluate(() => window.picked), ['adaptive-default']);
  });
});
