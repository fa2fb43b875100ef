/** What a failed Pulumi command is said to be: its own error lines, never a warning, and a kill as a kill. */
import { strict as assert } from 'node:assert';
import { pulumiErrorText } from '../../src/engine/pulumiErrors';

/** As the Automation API throws it: a CommandResult with the process's streams and execa's error. */
const failed = (stderr: string, err?: Error & { signal?: string }) => Object.assign(new Error('failed'), { commandResult: { stdout: '', stderr, code: -2, err } });
const WARNING = 'warning: using pulumi-resource-pulumi-nodejs from $PATH at /home/u/cli/plugins/pulumi-resource-pulumi-nodejs';

describe("a failed Pulumi command's reason", () => {
  it('a killed Pulumi says it was killed, and by which signal, not the warning it printed first', () => {
    const err = Object.assign(new Error(`Command was killed with SIGKILL (Forced termination): pulumi up --yes\n${WARNING}`), { signal: 'SIGKILL' });
    assert.equal(pulumiErrorText(failed(err.message, err)), 'the Pulumi process was killed (SIGKILL) before it finished; what it was doing may be left pending: repair clears that');
  });

  it("a warning is never the reason: Pulumi's error line is, else the first line that is not a warning", () => {
    assert.equal(pulumiErrorText(failed(`${WARNING}\nerror: update failed\nerror: resource x failed: boom`)), 'resource x failed: boom');
    assert.equal(pulumiErrorText(failed(`${WARNING}\n    pulumi:pulumi:Stack s  warning: using pulumi-resource-pulumi-nodejs\nthe plugin exited unexpectedly`)), 'the plugin exited unexpectedly');
  });
});
