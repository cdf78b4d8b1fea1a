import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { CipherproofError } from "../core/errors.js";

/** One character of a word and whether it was unquoted (only unquoted `*` and `?` are wildcards). */
interface Char {
  c: string;
  quoted: boolean;
}

/** One word of an `args` input: its text, and the characters it was made of (for wildcard expansion). */
export interface Word {
  value: string;
  chars: Char[];
}

// Outside quotes these would mean something to a shell (expansion, pipes, redirection, lists); the action runs no
// shell, so rather than pass them on literally and surprise, it refuses them.
const SHELL_SPECIAL = new Set(["$", "`", "|", ";", "&", "<", ">", "(", ")"]);

function usage(message: string): CipherproofError {
  return new CipherproofError(
    "USAGE",
    `input args: ${message}`,
    {},
    "args are split like a shell splits simple words: spaces separate, 'single' and \"double\" quotes group, \\ escapes; nothing is evaluated (use workflow expressions for values)",
  );
}

/**
 * Split an `args` input into words the way a shell splits simple quoting — whitespace (newlines included)
 * separates, '…' is literal, "…" is literal except \" \\ \$ \` escapes, a backslash outside quotes escapes the next
 * character — with no evaluation: unquoted `$`, backquotes, `|`, `;`, `&`, `<`, `>`, parentheses and unterminated
 * quotes are usage errors.
 */
export function splitArgs(input: string): Word[] {
  const words: Word[] = [];
  let chars: Char[] | undefined;
  const push = (c: string, quoted: boolean) => {
    chars ??= [];
    chars.push({ c, quoted });
  };
  const end = () => {
    if (chars) words.push({ value: chars.map((x) => x.c).join(""), chars });
    chars = undefined;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      end();
    } else if (c === "'") {
      const close = input.indexOf("'", i + 1);
      if (close < 0) throw usage("unterminated ' quote");
      chars ??= [];
      for (const q of input.slice(i + 1, close)) push(q, true);
      i = close;
    } else if (c === '"') {
      chars ??= [];
      let j = i + 1;
      for (; j < input.length && input[j] !== '"'; j++) {
        const d = input[j];
        if (d === "\\" && j + 1 < input.length && '"\\$`\n'.includes(input[j + 1])) {
          j++;
          if (input[j] !== "\n") push(input[j], true);
        } else if (d === "$" || d === "`") {
          throw usage(`"${d}" inside double quotes would be expanded by a shell; nothing is expanded here`);
        } else push(d, true);
      }
      if (j >= input.length) throw usage('unterminated " quote');
      i = j;
    } else if (c === "\\") {
      if (i + 1 >= input.length) throw usage("a trailing \\ escapes nothing");
      i++;
      if (input[i] !== "\n") push(input[i], true); // backslash-newline continues the line
    } else if (SHELL_SPECIAL.has(c)) {
      throw usage(`unquoted "${c}": the action runs no shell (quote it to pass it literally)`);
    } else push(c, false);
  }
  end();
  return words;
}

function hasWildcard(chars: Char[]): boolean {
  return chars.some((x) => !x.quoted && (x.c === "*" || x.c === "?"));
}

function segmentMatcher(chars: Char[]): RegExp {
  const body = chars
    .map((x) =>
      x.quoted || (x.c !== "*" && x.c !== "?")
        ? x.c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
        : x.c === "*"
          ? "[^/]*"
          : "[^/]",
    )
    .join("");
  return new RegExp(`^${body}$`, "s");
}

/**
 * Expand a word's unquoted `*` and `?` against the files under `cwd` (sorted; names starting with a dot only when the
 * pattern's segment does), like a shell's pathname expansion; a word without wildcards is returned as it is. A
 * pattern that matches nothing is a usage error (a shell would pass it on literally).
 */
export function expandWord(word: Word, cwd: string): string[] {
  if (!hasWildcard(word.chars)) return [word.value];
  const segments: Char[][] = [[]];
  for (const x of word.chars) {
    if (x.c === "/") segments.push([]);
    else segments[segments.length - 1].push(x);
  }
  const absolute = isAbsolute(word.value);
  // Each candidate: [the path as the user wrote it, the path on disk].
  let found: Array<[string, string]> = [[absolute ? "/" : "", absolute ? "/" : cwd]];
  segments.forEach((seg, index) => {
    if (index === 0 && absolute) return;
    const last = index === segments.length - 1;
    const join2 = (shownBase: string, name: string) =>
      shownBase === "" || shownBase.endsWith("/") ? `${shownBase}${name}` : `${shownBase}/${name}`;
    if (seg.length === 0) {
      // a doubled or trailing slash: keep it
      found = found.map(([s, d]) => [`${s}/`, d]);
      return;
    }
    const next: Array<[string, string]> = [];
    if (!hasWildcard(seg)) {
      const name = seg.map((x) => x.c).join("");
      for (const [s, d] of found) next.push([join2(s, name), join(d, name)]);
    } else {
      const re = segmentMatcher(seg);
      const dotOk = seg[0].c === ".";
      for (const [s, d] of found) {
        let names: string[];
        try {
          names = readdirSync(d).sort();
        } catch {
          continue;
        }
        for (const n of names)
          if (re.test(n) && (dotOk || !n.startsWith(".")))
            if (last || isDir(join(d, n))) next.push([join2(s, n), join(d, n)]);
      }
    }
    found = next;
  });
  const existing = found.filter(([, d]) => exists(d));
  if (!existing.length) throw usage(`"${word.value}" matches no file`);
  return existing.map(([s]) => s);
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Split an `args` input and expand its wildcards against `cwd`: the argument list a command receives. */
export function parseArgsInput(input: string, cwd: string): string[] {
  return splitArgs(input).flatMap((w) => expandWord(w, cwd));
}
