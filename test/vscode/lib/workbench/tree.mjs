// The activity bar, the sidebar's views and their tree rows. Mixed into Workbench (browser.mjs); `this` is the Workbench.
import { clean, waitFor } from './base.mjs';

export const tree = {
  /** Clicks the activity-bar entry whose aria-label starts with `title` (unless already open). */
  async openView(title = 'ModelOps Infra', { timeout = 60_000 } = {}) {
    const item = this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"], .part.activitybar .action-item [aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout });
    const container = item.locator('xpath=ancestor::li[contains(@class,"action-item")]');
    const checked = await container.getAttribute('aria-checked').catch(() => null)
      ?? await container.getAttribute('aria-pressed').catch(() => null);
    const active = (await container.getAttribute('class').catch(() => '')).includes('checked');
    // The entry itself, not its icon: a badge (e.g. "4 components not ready") lies over the icon and
    // takes the click, which the entry (its parent, where the workbench listens) still gets.
    if (!(checked === 'true' || active)) await container.click();
    // A container with a single view hides that view's header: wait for the sidebar title instead.
    await this.page.locator('.part.sidebar .composite.title', { hasText: title }).first().waitFor({ state: 'visible', timeout });
    await this.page.locator('.part.sidebar .pane-body').first().waitFor({ state: 'visible', timeout });
  },

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
  },

  /**
   * The sidebar pane (view) with the given name, e.g. "Environments". By default the
   * Components view: ModelOps Infra's container holds Components and Environments.
   */
  viewPane(viewName = 'Components') {
    const sidebar = this.page.locator('.part.sidebar');
    return sidebar.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: viewName }) }).first();
  },

  /**
   * Rows of the tree in the sidebar (optionally in the named view):
   * [{label, description, ariaLabel, status, level, tooltip, icon}] where status is the
   * description's first word (`ready`, `outputs-missing`, `blocked`, `up…`) and icon the
   * codicon the row shows (`pass`, `git-compare`).
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
        icon: /\bcodicon-([\w-]+)/.exec(r.querySelector('.custom-view-tree-node-item-icon')?.className ?? '')?.[1] ?? '',
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
        icon: r.icon,
      };
    });
  },

  /** A row by label (first match), or undefined. */
  async treeRow(label, viewName) {
    return (await this.treeRows(viewName)).find((r) => r.label === label);
  },

  /** Polls the tree until predicate(rows) is true; returns the rows. */
  async waitForRows(predicate, { viewName, timeout = 300_000, message = 'tree rows' } = {}) {
    let rows;
    await waitFor(async () => {
      rows = await this.treeRows(viewName);
      return rows.length > 0 && predicate(rows);
    }, { timeout, interval: 500, message, describe: async () => JSON.stringify((await this.treeRows(viewName)).map((r) => `${r.label}: ${r.description}`)) });
    return rows;
  },

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
  },

  /**
   * Clicks a tree row (selects it, toggles it open), by label and optionally its level. A
   * hover left open by an earlier row (its tooltip) would take the click: it is dismissed first.
   */
  async selectRow(label, viewName, { level } = {}) {
    await this.page.mouse.move(1, 1);
    await this.page.keyboard.press('Escape');
    const rows = this.viewPane(viewName).locator(level ? `.monaco-list-row[aria-level="${level}"]` : '.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) });
    await rows.first().click();
  },

  /** A view's pane header as shown: its title and description ("Components env dev"). */
  async sidebarTitle(viewName = 'Components') {
    const header = this.viewPane(viewName).locator('.pane-header').first();
    const [title, description] = await Promise.all([header.locator('.title').first().innerText(), header.locator('.description').first().innerText().catch(() => '')]);
    return clean(`${title} ${description}`);
  },

  /** Clicks one of a view's title actions (the icons in its pane header, shown on hover) by its tooltip. */
  async clickViewTitleAction(label, { viewName = 'Components', timeout = 30_000 } = {}) {
    const header = this.viewPane(viewName).locator('.pane-header').first();
    await header.hover();
    const action = header.locator(`.actions-container .action-label[aria-label="${label}"]`).first();
    await action.waitFor({ state: 'visible', timeout });
    await action.click();
  },

  /** The inline actions a row shows on hover (their tooltips), e.g. ['Unblock']. */
  async rowInlineActions(label, viewName) {
    const row = this.viewPane(viewName).locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first();
    await row.hover();
    return row.locator('.actions .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  },

  /** Hovers a row and clicks one of its inline actions, by tooltip. */
  async clickRowInlineAction(label, action, viewName) {
    const row = this.viewPane(viewName).locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first();
    await row.hover();
    const button = row.locator(`.actions .action-label[aria-label="${action}"]`).first();
    await button.waitFor({ state: 'visible', timeout: 10_000 });
    await button.click();
  },

  /** Right-click a tree row and choose a context-menu entry. */
  async treeRowContextAction(label, action, viewName) {
    const row = this.viewPane(viewName).locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first();
    // Menu items listen on the item (an anchor), not on its label; the menu lives in a shadow root.
    const item = this.page.locator('.monaco-menu .action-menu-item', { hasText: action }).first();
    // A row's hover (its tooltip) that opens just as the right click lands can swallow the menu on
    // a busy machine: dismiss hovers first, and right-click again if no menu came.
    await waitFor(async () => {
      await this.page.mouse.move(1, 1);
      await this.page.keyboard.press('Escape');
      await row.click({ button: 'right' });
      return item.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    }, { timeout: 30_000, message: `the context menu of ${label} with "${action}"` });
    await item.hover();
    await item.click();
    await item.waitFor({ state: 'hidden', timeout: 10_000 });
  },
};
