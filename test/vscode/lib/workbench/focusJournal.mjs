// A journal of where focus went in the page, kept by the page itself (an init script), so a
// step that finds the quick input closed under it can say what took focus, and when.
// Entries: { t: ms since the page loaded, what: 'focus' | 'window-blur' | 'window-focus' | 'quick-input-shown' | 'quick-input-hidden', el }.

/** Runs in the page before VS Code's own scripts. */
function installJournal() {
  const journal = [];
  const describe = (el) => {
    if (!el || !(el instanceof Element)) return String(el);
    const cls = typeof el.className === 'string' ? el.className.split(/\s+/).filter(Boolean).slice(0, 3).join('.') : '';
    const label = el.getAttribute('aria-label') || el.getAttribute('placeholder') || '';
    const part = el.closest('.part, .quick-input-widget, .notifications-toasts, .monaco-dialog-box');
    const where = part ? (part.classList.contains('part') ? [...part.classList].find((c) => c !== 'part' && c !== 'monaco-workbench') : part.className.split(/\s+/)[0]) : '';
    return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${label ? ` "${label.slice(0, 60)}"` : ''}${where ? ` in ${where}` : ''}`;
  };
  const note = (what, el) => {
    journal.push({ t: Math.round(performance.now()), what, el: el === undefined ? '' : describe(el) });
    if (journal.length > 60) journal.shift();
  };
  window.__mopsFocusJournal = journal;
  document.addEventListener('focusin', (e) => note('focus', e.target), true);
  window.addEventListener('blur', (e) => { if (e.target === window) note('window-blur'); });
  window.addEventListener('focus', (e) => { if (e.target === window) note('window-focus'); });
  // The quick input shows and hides by its style's display.
  const watch = () => {
    const widget = document.querySelector('.quick-input-widget');
    if (!widget) return false;
    let shown = widget.style.display !== 'none';
    new MutationObserver(() => {
      const now = widget.style.display !== 'none';
      if (now !== shown) note(now ? 'quick-input-shown' : 'quick-input-hidden', document.activeElement);
      shown = now;
    }).observe(widget, { attributes: true, attributeFilter: ['style'] });
    return true;
  };
  const poll = setInterval(() => { if (watch()) clearInterval(poll); }, 200);
}

export async function installFocusJournal(context) {
  await context.addInitScript(installJournal);
}

/** The journal's last `n` entries, one line each, with the time now for reference. */
export async function readFocusJournal(page, n = 20) {
  return page.evaluate((count) => {
    const j = window.__mopsFocusJournal ?? [];
    const now = Math.round(performance.now());
    return [`now ${now} ms`, ...j.slice(-count).map((e) => `${e.t} ms ${e.what}${e.el ? ` ${e.el}` : ''}`)].join('\n');
  }, n).catch((e) => `(no focus journal: ${e.message})`);
}
