import type { ResourceDocument } from "../types.js";

// `params`: the path starts below `param.` and is read from the policy parameters, not from the resource.
type Part = string | { path: string[]; params: boolean };

/** A `{{placeholder}}` message compiled once: `{{name}}`, `{{id}}`, `{{region}}`, `{{properties.x}}`, `{{param.x}}`. */
export interface MessageTemplate {
  render(resource: ResourceDocument, params: Record<string, unknown>): string;
  placeholders: string[];
}

/** Compile a message template into parts, so rendering is a join. */
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
    render(resource, params) {
      let out = "";
      for (const part of parts) {
        if (typeof part === "string") {
          out += part;
          continue;
        }
        let cur: unknown = part.params ? params : resource;
        for (const seg of part.path) {
          cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[seg] : undefined;
        }
        out += cur === undefined ? "(unknown)" : typeof cur === "string" ? cur : JSON.stringify(cur);
      }
      return out;
    },
  };
}

/** Top-level placeholders a message may use besides `properties.*` and `param.*`. */
export const MESSAGE_FIELDS = ["id", "name", "type", "account", "region", "provider", "source"];
