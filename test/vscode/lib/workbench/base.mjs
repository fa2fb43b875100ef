// What every part of the page object shares: where screenshots go, Chromium, polling,
// and the log file of an output channel. Selectors live in the surface modules beside this.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const screenshotDir = join(repoRoot, 'media', 'screenshots');
export const failureDir = join(screenshotDir, 'failures');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** True when the process was asked to show the browser (`--headed` or MOPS_HEADED=1). */
export function wantHeaded(argv = process.argv) {
  return argv.includes('--headed') || process.env.MOPS_HEADED === '1';
}

export async function launchBrowser({ headed = wantHeaded(), slowMo } = {}) {
  return chromium.launch({
    executablePath: process.env.MOPS_CHROMIUM ?? '/usr/bin/chromium',
    headless: !headed,
    args: CHROMIUM_ARGS,
    slowMo: slowMo ?? (process.env.MOPS_SLOWMO ? Number(process.env.MOPS_SLOWMO) : undefined),
  });
}

/** Newest `<channel>.log` of an extension's LogOutputChannel under a user-data-dir's logs/. */
export function findLogFile(userDataDir, channel) {
  let best;
  const walk = (dir, depth) => {
    let entries = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < 5) walk(p, depth + 1);
      else if (e.isFile() && e.name === `${channel}.log`) {
        const m = statSync(p).mtimeMs;
        if (!best || m > best.m) best = { p, m };
      }
    }
  };
  walk(join(userDataDir, 'logs'), 0);
  return best?.p;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const clean = (s) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

/** Polls fn() until it returns a truthy value; throws with `describe()` of the last value on timeout. */
export async function waitFor(fn, { timeout = 60_000, interval = 250, message = 'condition', describe } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    await sleep(interval);
  }
  let detail = '';
  try {
    detail = describe ? await describe() : JSON.stringify(last);
  } catch {
    /* ignore */
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${message}${detail ? `\nlast seen: ${detail}` : ''}${lastError ? `\nlast error: ${lastError.message}` : ''}`);
}

