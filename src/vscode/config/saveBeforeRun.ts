/**
 * Before a run: the CLI reads the config file on disk, while the Problems panel, completion and
 * the tree's problems read the editor. A run of a file with unsaved changes would apply what
 * the user no longer sees, so the changes are saved first (or, per `saveBeforeRun`, the user is
 * asked, or the log says the saved file is used). Like VS Code's `debug.saveBeforeStart`.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../log';
import { readSettings } from '../settings';

const SAVE = 'Save and Run';
const AS_SAVED = 'Run the Saved File';

/** The open, modified document of the config file, if there is one. */
function dirtyConfig(uri: vscode.Uri | undefined): vscode.TextDocument | undefined {
  if (!uri) return undefined;
  return vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.toString() === uri.toString());
}

/** Whether the run may start (false: the user cancelled, or the save failed — then it says so). */
export async function saveConfigBeforeRun(uri: vscode.Uri | undefined, title: string, log: Log): Promise<boolean> {
  const doc = dirtyConfig(uri);
  if (!doc) return true;
  const name = basename(doc.uri.fsPath);
  let mode = readSettings().saveBeforeRun;
  if (mode === 'prompt') {
    const choice = await vscode.window.showWarningMessage(
      `${name} has unsaved changes. ${title} reads the file on disk.`,
      { modal: true, detail: 'Save them first, or run with the file as it was last saved (the Problems panel describes the unsaved text).' },
      SAVE,
      AS_SAVED,
    );
    if (!choice) return false;
    mode = choice === SAVE ? 'save' : 'none';
  }
  if (mode === 'none') {
    log.warn(`${title}: ${doc.uri.fsPath} has unsaved changes; the run uses the file as saved (modelopsInfra.saveBeforeRun: none)`);
    return true;
  }
  if (await doc.save()) {
    log.info(`${title}: saved ${doc.uri.fsPath} before the run`);
    return true;
  }
  void vscode.window.showErrorMessage(`ModelOps: ${title} was not started: ${name} could not be saved. Save it, then run again.`);
  return false;
}
