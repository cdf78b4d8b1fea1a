import type { ResourceDocument } from "../types.js";

// `params`: the path starts below `param.` and is read from the policy parameters, not from the resource.
type Part = string | { path: string[]; params: boolean };

/** A `{{placeholder}}` message compiled once: `{{name}}`, `{{id}}`, `{{region}}`, `{{properties.x}}`, `{{param.x}}`. */
export interface MessageTemplate {
  /** The template with its parameters filled in once: what the engine calls for every failure. */
  bind(params: Record<string, unknown>): (resource: ResourceDocument) => string;
  placeholders: string[];
}

/** A placeholder's value in a message: strings as they are, anything else as JSON, nothing as "(unknown)". */
function show(v: unknown): string {
  if (v === undefined) return "(unknown)";
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) return String(v);
  return JSON.stringify(v);
}

function lookup(root: unknown, path: string[]): unknown {
  let cur = root;
  for (const seg of path) {
    cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return cur;
}

/** Compile a message template into parts; `bind` folds in the parameters, so rendering is a join. */
export function compileMessage(template: string): MessageTemplate {
  const parts: Part[] = [];
  const placeholders: string[] = [];
  const re = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    const path = m[1].split(".");
    parts.push(path[0] === "param" ? { path: path.slice(1), params: true } : { path, params: false });
    placeholders.push(m[1]);
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return {
    placeholders,
    bind(params) {
      // Parameters are constants of the policy: fold them (and the text around them) into literal pieces, so a
      // failure only looks up the resource's own fields.
      const pieces: Array<string | string[]> = [];
      for (const part of parts) {
        const piece =
          typeof part === "string" ? part : part.params ? show(lookup(params, part.path)) : part.path;
        const prev = pieces[pieces.length - 1];
        if (typeof piece === "string" && typeof prev === "string") pieces[pieces.length - 1] = prev + piece;
        else pieces.push(piece);
      }
      // The common shape, "text {{name}} text", reads one field directly; anything else walks the pieces.
      const [a, field, b] = pieces;
      if (pieces.length === 1 && typeof a === "string") return () => a; // no resource field: one shared string
      if (
        pieces.length === 3 &&
        typeof a === "string" &&
        typeof b === "string" &&
        Array.isArray(field) &&
        field.length === 1
      ) {
        const top = field[0] as keyof ResourceDocument;
        return (resource) => a + show(resource[top]) + b;
      }
      return (resource) => {
        let out = "";
        for (const piece of pieces) out += typeof piece === "string" ? piece : show(lookup(resource, piece));
        return out;
      };
    },
  };
}

/** Top-level placeholders a message may use besides `properties.*` and `param.*`. */
export const MESSAGE_FIELDS = ["id", "name", "type", "account", "region", "provider", "source"];
