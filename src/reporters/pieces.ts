/**
 * Reports in pieces. V8 cannot build a string longer than 2^29 − 24 characters (about 512 MiB), and the reports of a
 * scan of a few hundred thousand resources are longer than that. The renderers build them as lists of strings of
 * about a megabyte, which the evidence bundle copies into one buffer and `--out -` writes one by one.
 */

/** Characters per piece (about a megabyte). */
const PIECE_CHARS = 1 << 20;

/** `parts.join(sep)`, as pieces of about a megabyte that concatenate to exactly that text. */
export function joinInPieces(parts: readonly string[], sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  let size = 0;
  for (let i = 0; i < parts.length; i++) {
    size += parts[i].length + sep.length;
    if (size < PIECE_CHARS && i < parts.length - 1) continue;
    const text = parts.slice(start, i + 1).join(sep);
    out.push(start ? sep + text : text);
    start = i + 1;
    size = 0;
  }
  return out;
}

/**
 * `groups.join(sep)` where a group may already be in pieces (a list of strings): the pieces, coalesced to about a
 * megabyte each.
 */
export function joinGroups(groups: ReadonlyArray<string | readonly string[]>, sep: string): string[] {
  const flat: string[] = [];
  groups.forEach((group, i) => {
    if (i) flat.push(sep);
    if (typeof group === "string") flat.push(group);
    else for (const piece of group) flat.push(piece);
  });
  return joinInPieces(flat, "");
}

/** List items stringified at a time by jsonInPieces (a thousand findings are about a megabyte). */
const ITEMS_PER_PIECE = 1000;

/**
 * `JSON.stringify(doc, null, 2)` as pieces, with the top-level lists named in `lists` written a thousand items at a
 * time. The document is stringified with those lists empty; each batch of items is stringified inside a one-key
 * object, so JSON.stringify indents it exactly as in the whole document, and the wrapper's first and last lines are
 * cut off. (An item's `toJSON` sees its index within the batch; nothing in a report reads it.)
 */
export function jsonInPieces(doc: Record<string, unknown>, lists: readonly string[]): string[] {
  const names = lists.filter((name) => Array.isArray(doc[name]));
  const empty: Record<string, unknown> = { ...doc };
  for (const name of names) empty[name] = [];
  const text = JSON.stringify(empty, null, 2);
  // A top-level key starts a line with two spaces; string values cannot hold a raw newline and nested keys are
  // indented further, so the search cannot match anything else.
  const at = (name: string) => text.indexOf(`\n  ${JSON.stringify(name)}: []`);
  const order = names.sort((a, b) => at(a) - at(b));
  const out: string[] = [];
  let from = 0;
  for (const name of order) {
    const key = `\n  ${JSON.stringify(name)}: `;
    const start = at(name) + key.length;
    out.push(text.slice(from, start));
    pushList(out, name, doc[name] as unknown[]);
    from = start + 2; // past the "[]" that stood for the list
  }
  out.push(text.slice(from));
  return out;
}

function pushList(out: string[], name: string, list: unknown[]): void {
  if (!list.length) {
    out.push("[]");
    return;
  }
  const head = `{\n  ${JSON.stringify(name)}: [`;
  const tail = "\n  ]\n}";
  for (let i = 0; i < list.length; i += ITEMS_PER_PIECE) {
    const text = JSON.stringify({ [name]: list.slice(i, i + ITEMS_PER_PIECE) }, null, 2);
    out.push(`${i ? "," : "["}${text.slice(head.length, text.length - tail.length)}`);
  }
  out.push("\n  ]");
}
