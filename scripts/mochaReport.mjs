// What test-all reads from a suite's mocha output: how many passed, failed and were skipped, and
// the "N failing" reports, which it repeats at the end so that the tail of a CI log names them.

/** Counts over every mocha report in `stdout`: a suite may print several (the in-host suite runs two sessions). */
export function counts(stdout) {
  const n = (word) => [...stdout.matchAll(new RegExp(`(\\d+) ${word}`, 'g'))].reduce((sum, m) => sum + Number(m[1]), 0);
  return { passed: n('passing'), failed: n('failing'), pending: n('pending') };
}

/**
 * Each "N failing" report in `stdout`, cut at `maxLines`. A report ends where a line starts at the
 * left margin (mocha indents all of it): the in-host suite prints a second session after the first.
 */
export function failureReports(stdout, maxLines = 40) {
  const starts = [...stdout.matchAll(/^[ \t]*\d+ failing[ \t]*$/gm)].map((m) => m.index);
  return starts.map((start, i) => {
    const rest = stdout.slice(start, starts[i + 1]);
    const end = rest.slice(1).search(/^\S/m);
    const lines = (end < 0 ? rest : rest.slice(0, end + 1)).replace(/\s+$/, '').split('\n');
    if (lines.length <= maxLines) return lines.join('\n');
    return [...lines.slice(0, maxLines), `  … ${lines.length - maxLines} more lines in the suite's output above`].join('\n');
  });
}
