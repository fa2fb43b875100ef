/** What package.json shows people in plain-text places, and how the walkthrough ticks its steps off. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/core/config/parse';
import { providerEdit } from '../../src/core/config/providerEdit';

interface Step {
  id: string;
  title: string;
  description: string;
  completionEvents: string[];
  when?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: {
    commands: Array<{ command: string; title: string }>;
    walkthroughs: Array<{ steps: Step[] }>;
    viewsWelcome: Array<{ contents: string }>;
    menus: { commandPalette: Array<{ command: string; when?: string }> };
  };
};

describe('the manifest', () => {
  it('no literal Markdown where VS Code shows plain text (walkthrough steps, welcome views): only links', () => {
    const texts = [...manifest.contributes.walkthroughs.flatMap((w) => w.steps.flatMap((s) => [s.title, s.description])), ...manifest.contributes.viewsWelcome.map((v) => v.contents)];
    for (const text of texts) assert.doesNotMatch(text, /`|\*\*|__/, text);
  });

  it('each walkthrough step is named by what its button does, and is done by doing it', () => {
    const titles = new Map(manifest.contributes.commands.map((c) => [c.command, c.title]));
    for (const step of manifest.contributes.walkthroughs[0].steps) {
      const [, label, command] = /\[([^\]]+)\]\(command:([\w.]+)\)/.exec(step.description) ?? [];
      assert.ok(command, `${step.id} has a button`);
      const title = titles.get(command);
      if (title) assert.equal(label, title, `${step.id}: the button says what the command is called`);
      assert.ok(
        step.completionEvents.some((e) => e === `onCommand:${command}` || e.startsWith('onContext:') || e === `onView:${command.replace(/\.focus$/, '')}`),
        `${step.id}: done by its own action (${step.completionEvents.join(', ')})`,
      );
    }
    const provider = manifest.contributes.walkthroughs[0].steps.find((s) => s.id === 'provider')!;
    assert.match(provider.description, /\[Choose Provider\]\(command:modelopsInfra\.chooseProvider\)/);
  });

  it('offers Create azure.yaml only while there is no config; where there is one, the step opens it', () => {
    const steps = manifest.contributes.walkthroughs[0].steps;
    const offering = (command: string) => steps.filter((s) => s.description.includes(`(command:${command})`)).map((s) => s.when);
    assert.deepEqual(offering('modelopsInfra.createConfig'), ['modelopsInfra.noConfig']);
    assert.deepEqual(offering('modelopsInfra.openConfig'), ['!modelopsInfra.noConfig']);
  });
});

describe('choosing the provider', () => {
  const edit = (text: string, provider: string) => {
    const e = providerEdit(parseConfig(text, 'azure.yaml'), provider);
    return e && text.slice(0, e.startOffset) + e.newText + text.slice(e.endOffset);
  };

  it('rewrites only the value, keeping comments and the rest', () => {
    assert.equal(edit('# mine\nprovider: local   # for now\nenvironment: dev\n', 'azure'), '# mine\nprovider: azure   # for now\nenvironment: dev\n');
    assert.equal(edit('provider: local\n', 'local'), undefined, 'already so: nothing to do');
    assert.equal(edit('environment: dev\n', 'local'), 'provider: local\nenvironment: dev\n');
  });
});

describe('the command palette, in each state the extension sets (its context keys, checked in-host)', () => {
  /** VS Code's `when` for what these clauses use: keys, `!`, `&&`, `false`. */
  const holds = (when: string | undefined, keys: Record<string, boolean>): boolean =>
    when === undefined || when.split('&&').every((term) => {
      const t = term.trim();
      if (t === 'false') return false;
      return t.startsWith('!') ? !keys[t.slice(1)] : !!keys[t];
    });
  const offered = (keys: Record<string, boolean>): string[] => {
    const when = new Map(manifest.contributes.menus.commandPalette.map((m) => [m.command, m.when]));
    return manifest.contributes.commands.map((c) => c.command).filter((c) => holds(when.get(c), { isWorkspaceTrusted: true, ...keys })).map((c) => c.replace('modelopsInfra.', ''));
  };
  const RUNS = ['up', 'upComponent', 'preview', 'previewComponent', 'validate'];
  const ON_STACKS = ['forceRecreate', 'repair', 'down', 'showHistory', 'rollback', 'checkDrift', 'health', 'showOutputs', 'showState'];

  it('with no config: creating one, not a command that needs one', () => {
    const list = offered({ 'modelopsInfra.noConfig': true });
    assert.ok(list.includes('createConfig'));
    for (const c of [...RUNS, ...ON_STACKS, 'openConfig', 'migrate']) assert.ok(!list.includes(c), c);
  });

  it('with a config and nothing deployed: Up, Preview, Validate; nothing that acts on stacks', () => {
    const list = offered({ 'modelopsInfra.noConfig': false, 'modelopsInfra.deployed': false });
    for (const c of [...RUNS, 'openConfig']) assert.ok(list.includes(c), c);
    for (const c of [...ON_STACKS, 'createConfig', 'cancel']) assert.ok(!list.includes(c), c);
  });

  it('once something exists: the stack commands too; Cancel only while a run is going; row-only actions never', () => {
    const list = offered({ 'modelopsInfra.noConfig': false, 'modelopsInfra.deployed': true });
    for (const c of [...RUNS, ...ON_STACKS]) assert.ok(list.includes(c), c);
    for (const c of ['cancel', 'copyOutput', 'openOutput', 'unblock', 'switchEnvironment']) assert.ok(!list.includes(c), c);
    assert.ok(offered({ 'modelopsInfra.noConfig': false, 'modelopsInfra.running': true }).includes('cancel'));
  });
});
