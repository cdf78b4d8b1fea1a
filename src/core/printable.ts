// Text that came from a resource, a snapshot, a config or a policy (a name, a tag, an ARN, a message) is shown to
// people on terminals, in CI logs and in line-oriented files. It must not be able to act there.

// C0 and C1 controls and DEL (cursor moves, line erases, hyperlinks, new lines), the Unicode line and paragraph
// separators, and the marks and overrides that reorder how text is displayed ("Trojan Source", CVE-2021-42574).
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The text with every character that could act on a terminal or split a log line shown as a `\uXXXX` escape instead,
 * so it reads as what it is. Printable text (any script, emoji) is unchanged.
 */
export function printable(text: string): string {
  UNPRINTABLE.lastIndex = 0;
  if (!UNPRINTABLE.test(text)) return text;
  return text.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// A line that starts, after blanks, with `::` or `##[` is a workflow command to the GitHub Actions runner
// (`::stop-commands::`, `::add-mask::`, `::error::`…), whichever step printed it.
const COMMAND_LINE = /(^|\n)([ \t]*)(::|##\[)/g;

/**
 * Text for stdout or stderr in which no line can be read as a GitHub Actions workflow command: a zero-width space is
 * put between the first two characters of such a line. Only the commands the tool means to send (annotations) bypass
 * this. Each call's text is taken to start at the beginning of a line.
 */
export function withoutWorkflowCommands(text: string): string {
  COMMAND_LINE.lastIndex = 0;
  if (!COMMAND_LINE.test(text)) return text;
  return text.replace(COMMAND_LINE, (_, start: string, blanks: string, command: string) => {
    return `${start}${blanks}${command[0]}\u200b${command.slice(1)}`;
  });
}
