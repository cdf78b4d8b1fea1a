import type { ErrorObject } from "../ajv.js";
import type { FindingDetail } from "../types.js";

function show(v: unknown): string {
  if (v === undefined) return "absent";
  // Primitives are by far the common case; skip JSON.stringify for them.
  if (typeof v === "boolean" || typeof v === "number" || v === null) return String(v);
  if (typeof v === "string" && v.length <= 118 && !/["\\\u0000-\u001f]/.test(v)) return `"${v}"`;
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** `/a/0/b` → `a[0].b`. */
export function propertyPath(instancePath: string, extra?: string): string {
  // Fast path: a top-level property (the common case).
  if (instancePath === "")
    return extra !== undefined && !/^\d+$/.test(extra)
      ? extra
      : extra === undefined
        ? "(resource)"
        : `[${extra}]`;
  if (
    extra === undefined &&
    instancePath.indexOf("/", 1) === -1 &&
    instancePath.indexOf("~") === -1 &&
    !/^\/\d+$/.test(instancePath)
  ) {
    return instancePath.slice(1);
  }
  // Nested paths repeat from resource to resource (`/certificates/0/notBefore`): worded once each.
  const key = extra === undefined ? instancePath : `${instancePath}\u0000${extra}`;
  let path = nestedPaths.get(key);
  if (path === undefined) {
    path = nestedPath(instancePath, extra);
    if (nestedPaths.size < 4096) nestedPaths.set(key, path);
  }
  return path;
}

const nestedPaths = new Map<string, string>();

function nestedPath(instancePath: string, extra: string | undefined): string {
  let out = "";
  const segs = instancePath ? instancePath.slice(1).split("/") : [];
  if (extra !== undefined) segs.push(extra);
  for (const raw of segs) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out || "(resource)";
}

/** Errors that only say "a branch below failed"; the branch's own errors are the constraints it missed. */
const WRAPPERS = new Set(["anyOf", "oneOf", "allOf", "if"]);

/**
 * The errors of an `anyOf`/`oneOf` that none of whose alternatives held, less those of every alternative that missed
 * by more constraints than the closest: the rows say what would make the nearest alternative hold, not why each of
 * the others failed too. For alternatives that each name one way to comply ("issued before a date", or "valid for at
 * most N days"), the rows of every way that misses once stay. Choices are narrowed innermost first, so an alternative holding a nested choice costs
 * what that choice's closest alternative misses; wrapper errors cost nothing.
 */
function closestAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  const choices = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  if (choices.length > 1) choices.sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const e of choices) {
    if (drop.has(e)) continue;
    const prefix = `${e.schemaPath}/`;
    const within = `${e.instancePath}/`;
    const byBranch = new Map<string, { errors: ErrorObject[]; cost: number }>();
    for (const o of errors) {
      if (drop.has(o) || !o.schemaPath.startsWith(prefix)) continue;
      // The same schema judges every item of a list: only this item's errors belong to this choice.
      if (o.instancePath !== e.instancePath && !o.instancePath.startsWith(within)) continue;
      const end = o.schemaPath.indexOf("/", prefix.length);
      const key = end === -1 ? o.schemaPath.slice(prefix.length) : o.schemaPath.slice(prefix.length, end);
      let branch = byBranch.get(key);
      if (!branch) byBranch.set(key, (branch = { errors: [], cost: 0 }));
      branch.errors.push(o);
      if (!WRAPPERS.has(o.keyword)) branch.cost++;
    }
    if (byBranch.size < 2) continue;
    let fewest = Number.POSITIVE_INFINITY;
    for (const b of byBranch.values()) fewest = Math.min(fewest, b.cost);
    for (const b of byBranch.values()) if (b.cost > fewest) for (const o of b.errors) drop.add(o);
  }
  return drop.size ? errors.filter((e) => !drop.has(e)) : errors;
}

/** Explain why an assertion failed, one row per violated constraint, in the resource's own words. */
export function explainErrors(all: ErrorObject[] | null | undefined): FindingDetail[] {
  const out: FindingDetail[] = [];
  const seen = new Set<string>();
  const errors = all?.some((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
    ? closestAlternatives(all)
    : all;
  for (const e of errors ?? []) {
    const p = e.params as Record<string, unknown>;
    let d: FindingDetail | undefined;
    switch (e.keyword) {
      case "required":
        d = {
          property: propertyPath(e.instancePath, String(p.missingProperty)),
          expected: "present",
          found: "absent",
        };
        break;
      case "const":
        d = { property: propertyPath(e.instancePath), expected: show(p.allowedValue), found: show(e.data) };
        break;
      case "enum":
        d = {
          property: propertyPath(e.instancePath),
          expected: `one of ${(p.allowedValues as unknown[]).map(show).join(", ")}`,
          found: show(e.data),
        };
        break;
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "exclusiveMaximum":
      case "formatMinimum":
      case "formatMaximum":
      case "formatExclusiveMinimum":
      case "formatExclusiveMaximum":
        d = {
          property: propertyPath(e.instancePath),
          expected: `${p.comparison} ${p.limit}`,
          found: show(e.data),
        };
        break;
      case "type":
        d = {
          property: propertyPath(e.instancePath),
          expected: `${/^[aeiou]/.test(String(p.type)) ? "an" : "a"} ${p.type}`,
          found: show(e.data),
        };
        break;
      case "pattern":
        d = {
          property: propertyPath(e.instancePath),
          expected: `matching /${p.pattern}/`,
          found: show(e.data),
        };
        break;
      case "minItems":
      case "maxItems":
      case "minLength":
      case "maxLength":
        d = { property: propertyPath(e.instancePath), expected: e.message ?? e.keyword, found: show(e.data) };
        break;
      case "not":
        d = {
          property: propertyPath(e.instancePath),
          expected: `not ${show(e.schema)}`,
          found: show(e.data),
        };
        break;
      case "contains":
        d = {
          property: propertyPath(e.instancePath),
          expected: `an item matching ${show(e.schema)}`,
          found: show(e.data),
        };
        break;
      case "if":
      case "anyOf":
      case "oneOf":
      case "allOf":
        // The branch errors that come with these say more than the wrapper.
        if (
          e.keyword !== "if" &&
          !(errors ?? []).some((o) => o !== e && o.schemaPath.startsWith(e.schemaPath))
        ) {
          d = {
            property: propertyPath(e.instancePath),
            expected: `${e.keyword} of the alternatives`,
            found: show(e.data),
          };
        }
        break;
      default:
        d = { property: propertyPath(e.instancePath), expected: e.message ?? e.keyword, found: show(e.data) };
    }
    if (!d) continue;
    const key = `${d.property}|${d.expected}|${d.found}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}
