import { isObject } from "./node.js";

/** What a bucket policy says about transport security. */
export interface BucketPolicyTransport {
  /** A Deny for every principal and every S3 action on all objects when aws:SecureTransport is false. */
  deniesInsecureTransport: boolean;
  /** The TLS version below which every request is denied (s3:TlsVersion), or null. */
  minimumTlsVersion: number | null;
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
}

function allPrincipals(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  return asList(principal.AWS).includes("*");
}

function allS3Actions(action: unknown): boolean {
  return asList(action).some((a) => typeof a === "string" && (a === "*" || a.toLowerCase() === "s3:*"));
}

// The statement must cover every object of the bucket: a resource pattern that matches the literal
// `arn:…:s3:::bucket/*` (so `bucket/*`, `bucket*` and `*` qualify, `bucket/private/*` does not).
function coversAllObjects(resource: unknown, bucket: string, partition: string): boolean {
  const target = `arn:${partition}:s3:::${bucket}/*`;
  return asList(resource).some((r) => typeof r === "string" && glob(r).test(target));
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
