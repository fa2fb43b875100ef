/** The help's two-column tables: a usage, then its text wrapped from a column (25) up to column 100. Pure. */
const WIDTH = 100;

export interface HelpRow {
  usage: string;
  text: string;
}

/** The words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** Each row's usage indented by two, its text beside it (or below it, when the usage reaches the column). */
export function helpTable(rows: readonly HelpRow[], column = 25): string {
  const indent = ' '.repeat(column);
  return rows
    .flatMap(({ usage, text }) => {
      const head = `  ${usage}`;
      const [first = '', ...rest] = wrap(text, WIDTH - column);
      const top = head.length < column ? [`${head.padEnd(column)}${first}`] : [head, `${indent}${first}`];
      return [...top, ...rest.map((line) => `${indent}${line}`)];
    })
    .join('\n');
}
