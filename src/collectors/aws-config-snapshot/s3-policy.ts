import { isObject } from "./node.js";

/** What a bucket policy says about transport security. */
export interface BucketPolicyTransport {
  /** A Deny for every principal and every S3 action on all objects when aws:SecureTransport is false. */
  deniesInsecureTransport: boolean;
  /** The TLS version below which every request is denied (s3:TlsVersion), or null. */
  minimumTlsVersion: number | null;
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Resource patterns longer than this (after collapsing `**`) are not analyzed; they never count. */
const MAX_PATTERN = 2048;
/** Object ARN prefixes longer than this (bucket names have at most 63 characters) are never covered. */
const MAX_PREFIX = 1024;
/** Patterns with more `?` than this in one statement are not analyzed for coverage; they never count. */
const MAX_SINGLE_WILDCARDS = 16;

/** Collapse every run of `*` to one (`a**b` → `a*b`): the same set of strings, and less work for the matcher. */
function collapseStars(pattern: string): string {
  return pattern.replace(/\*{2,}/g, "*");
}

/**
 * True when `text` matches an IAM-style wildcard pattern: `*` any sequence of characters (empty too), `?` exactly one
 * character, everything else literally (case-sensitive, as ARNs in S3 resources are). Iterative two-pointer matching
 * with backtracking only to the last `*`: O(|pattern| · |text|) at worst, never exponential, no regex built from input.
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = Array.from(collapseStars(pattern));
  const t = Array.from(text);
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] === "*") {
      star = pi++;
      mark = ti;
    } else if (pi < p.length && (p[pi] === "?" || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

/** A character that appears in none of the strings. */
function absentChar(strings: readonly string[]): string {
  const used = new Set(strings.flatMap((s) => Array.from(s)));
  let code = 0xe000; // private use area: never in an ARN a policy would spell
  while (used.has(String.fromCodePoint(code))) code++;
  return String.fromCodePoint(code);
}

/**
 * True when the wildcard patterns, together, match `prefix + k` for every non-empty key `k` — the set-containment
 * question "do these resources cover every object under this prefix?", which matching one sample string cannot answer
 * (`b1/?` matches the sample `b1/*` but only one-character keys).
 *
 * Reasoning: after the prefix, a pattern's remaining part either still needs some literal character, or is made of
 * wildcards only. A remainder with a literal misses the keys made of one character c that appears in no pattern, so it
 * never helps cover every key. A wildcard-only remainder with q `?` matches keys of exactly q characters (no `*`) or of
 * at least q (with `*`), whatever the characters. So the patterns cover every key exactly when they match
 * `prefix + c^n` for every length n from 1 to (number of `?` in the patterns) + 1: past that, only a remainder with a
 * `*` can match, and it matches every longer key too. Patterns with IAM policy variables (`${…}`), or too long to
 * analyze, never count: when unsure, not covered.
 */
export function patternsCoverAllKeys(patterns: readonly string[], prefix: string): boolean {
  if (prefix.length > MAX_PREFIX) return false;
  const usable = patterns
    .map(collapseStars)
    .filter((r) => r.length <= MAX_PATTERN && !r.includes("${"))
    .map((r) => ({ r, min: minLength(r) }));
  if (usable.length === 0) return false;
  let questionMarks = 0;
  for (const { r } of usable) for (const ch of r) if (ch === "?") questionMarks++;
  if (questionMarks > MAX_SINGLE_WILDCARDS) return false;
  const c = absentChar([...usable.map((u) => u.r), prefix]);
  const prefixLength = Array.from(prefix).length;
  for (let n = 1; n <= questionMarks + 1; n++) {
    const text = prefix + c.repeat(n);
    // A pattern needing more characters than the text has cannot match it; skip it without matching.
    if (!usable.some(({ r, min }) => min <= prefixLength + n && globMatch(r, text))) return false;
  }
  return true;
}

/** How many characters a string must have at least to match the pattern (every character but `*` takes one). */
function minLength(pattern: string): number {
  let n = 0;
  for (const ch of pattern) if (ch !== "*") n++;
  return n;
}

function allPrincipals(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  return asList(principal.AWS).includes("*");
}

function allS3Actions(action: unknown): boolean {
  return asList(action).some((a) => typeof a === "string" && (a === "*" || a.toLowerCase() === "s3:*"));
}

// The statement must cover every object of the bucket: its Resource patterns together must match
// `arn:PARTITION:s3:::BUCKET/<key>` for every key. `BUCKET/*`, `BUCKET*`, `arn:PARTITION:s3:::*` and `*` qualify;
// `BUCKET/private/*`, `BUCKET/?` (one-character keys only) and the bucket ARN alone do not.
function coversAllObjects(resource: unknown, bucket: string, partition: string): boolean {
  const patterns = asList(resource).filter((r): r is string => typeof r === "string");
  return patternsCoverAllKeys(patterns, `arn:${partition}:s3:::${bucket}/`);
}

/** The single condition key/value a statement tests, when it tests exactly one under the given operators. */
function onlyCondition(condition: unknown, operators: string[], key: string): unknown[] | undefined {
  if (!isObject(condition)) return undefined;
  const ops = Object.keys(condition);
  if (ops.length !== 1 || !operators.includes(ops[0])) return undefined;
  const body = condition[ops[0]];
  if (!isObject(body)) return undefined;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0].toLowerCase() !== key.toLowerCase()) return undefined;
  return asList(body[keys[0]]);
}

/** Analyze a bucket policy document (already parsed) for transport-security denies. */
export function analyzeBucketPolicy(
  policy: unknown,
  bucket: string,
  partition = "aws",
): BucketPolicyTransport {
  const out: BucketPolicyTransport = { deniesInsecureTransport: false, minimumTlsVersion: null };
  if (!isObject(policy)) return out;
  for (const st of asList(policy.Statement)) {
    if (!isObject(st) || st.Effect !== "Deny") continue;
    // NotPrincipal / NotAction / NotResource narrow a Deny in ways this check does not model; they never count.
    if ("NotPrincipal" in st || "NotAction" in st || "NotResource" in st) continue;
    if (
      !allPrincipals(st.Principal) ||
      !allS3Actions(st.Action) ||
      !coversAllObjects(st.Resource, bucket, partition)
    )
      continue;
    const secure = onlyCondition(st.Condition, ["Bool", "BoolIfExists"], "aws:SecureTransport");
    if (secure?.some((v) => v === false || (typeof v === "string" && v.toLowerCase() === "false"))) {
      out.deniesInsecureTransport = true;
    }
    const tls = onlyCondition(st.Condition, ["NumericLessThan"], "s3:TlsVersion");
    if (tls && tls.length === 1) {
      const n =
        typeof tls[0] === "number" ? tls[0] : typeof tls[0] === "string" ? Number(tls[0]) : Number.NaN;
      if (Number.isFinite(n) && (out.minimumTlsVersion === null || n > out.minimumTlsVersion))
        out.minimumTlsVersion = n;
    }
  }
  return out;
}
