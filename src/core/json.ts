import { CipherproofError, pointerSegment } from "./errors.js";

/** Turn a character offset into 1-based line and column. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * Parse JSON text; a syntax error names the file, line and column (and never echoes the file's content). With
 * `rejectDuplicateKeys` (policies, config), a key repeated in one object is an error too: JSON.parse would silently
 * keep the last one, so half of what the author wrote would be ignored.
 */
export function parseJson(
  text: string,
  file: string,
  options: { rejectDuplicateKeys?: boolean } = {},
): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const { offset, reason } = locateJsonError(body);
    const { line, column } = lineColumn(body, offset);
    throw new CipherproofError(
      "JSON_SYNTAX",
      `invalid JSON: ${reason}`,
      { file, line, column },
      "fix the JSON syntax at that position (a trailing comma or a missing quote is the usual cause)",
    );
  }
  if (options.rejectDuplicateKeys) {
    const dup = findDuplicateKey(body);
    if (dup) {
      const { line, column } = lineColumn(body, dup.offset);
      throw new CipherproofError(
        "JSON_SYNTAX",
        `duplicate key "${dup.key}" in one object`,
        { file, line, column },
        "JSON keeps only the last of repeated keys; merge them into one",
      );
    }
  }
  return value;
}

/**
 * Find where and why JSON text is invalid, independent of the engine's error wording (which differs between
 * Node versions and quotes the input). Iterative, with an explicit stack of open containers: input nested
 * thousands deep (`[[[[…`) is located like any other, never a stack overflow.
 */
export function locateJsonError(text: string): { offset: number; reason: string } {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw { offset: at, reason };
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r"))
      i++;
  };
  const describe = (c: string | undefined) =>
    c === undefined ? "end of input" : `character ${JSON.stringify(c)}`;
  const string = (): void => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const n = text[i + 1];
        if (n === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape in a string");
          i += 6;
          continue;
        }
        if (!n || !'"\\/bfnrt'.includes(n)) fail("invalid escape in a string");
        i += 2;
        continue;
      }
      if (c < " ") fail("unescaped control character in a string");
      i++;
    }
    fail("unterminated string", start);
  };
  // A property name and its colon, inside an object; the value follows.
  const key = (): void => {
    ws();
    if (text[i] !== '"')
      fail(
        text[i] === "}"
          ? "trailing comma before }"
          : `expected a double-quoted property name, found ${describe(text[i])}`,
      );
    string();
    ws();
    if (text[i] !== ":") fail(`expected ':' after a property name, found ${describe(text[i])}`);
    i++;
  };
  // The open containers, innermost last: "{" or "[".
  const open: string[] = [];
  try {
    value: for (;;) {
      // A value starts here.
      ws();
      const c = text[i];
      if (c === "{") {
        i++;
        ws();
        if (text[i] === "}") i++;
        else {
          open.push("{");
          key();
          continue;
        }
      } else if (c === "[") {
        i++;
        ws();
        if (text[i] === "]") i++;
        else {
          open.push("[");
          continue;
        }
      } else if (c === '"') string();
      else {
        const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
          text.slice(i, i + 64),
        );
        if (!lit) fail(`unexpected ${describe(c)}`);
        i += lit![0].length;
      }
      // A value ended: continue or close the containers it ends.
      while (open.length) {
        const top = open[open.length - 1];
        const close = top === "{" ? "}" : "]";
        ws();
        if (text[i] === ",") {
          i++;
          if (top === "{") key();
          else {
            ws();
            if (text[i] === "]") fail("trailing comma before ]");
          }
          continue value;
        }
        if (text[i] === close) {
          i++;
          open.pop();
          continue;
        }
        fail(`expected ',' or '${close}', found ${describe(text[i])}`);
      }
      break;
    }
    ws();
    if (i < text.length) fail(`unexpected ${describe(text[i])} after the JSON value`);
    return { offset: 0, reason: "invalid JSON" };
  } catch (e) {
    if (e && typeof e === "object" && "offset" in e) return e as { offset: number; reason: string };
    throw e;
  }
}

/** Read a value at a JSON pointer, or undefined. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === "") return doc;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** The first key repeated within one object of (valid) JSON text, with its offset; undefined when there is none. */
export function findDuplicateKey(text: string): { key: string; offset: number } | undefined {
  // Each open container: a key set for objects, null for arrays; `expectKey` is true right after "{" or "," in an object.
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(start, j + 1)) as string;
        if (top.has(key)) return { key, offset: start };
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === "{") {
      stack.push(new Set());
      expectKey = true;
    } else if (c === "[") {
      stack.push(null);
      expectKey = false;
    } else if (c === "}" || c === "]") {
      stack.pop();
      expectKey = false;
    } else if (c === ",") {
      expectKey = stack[stack.length - 1] !== null && stack.length > 0;
    }
  }
  return undefined;
}

/**
 * The JSON pointer of the first value nested deeper than `maxDepth` containers in a parsed document, or undefined.
 * Iterative: a document thousands of levels deep is measured without recursion (JSON.stringify and the reporters
 * recurse, so such a document must be refused before it reaches them).
 */
export function tooDeep(value: unknown, maxDepth: number): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: "" }];
  while (stack.length) {
    const { value: v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= maxDepth) return path || "/";
    for (const [k, child] of Object.entries(v))
      if (child !== null && typeof child === "object")
        stack.push({
          value: child,
          depth: depth + 1,
          path: `${path}/${pointerSegment(k)}`,
        });
  }
  return undefined;
}
