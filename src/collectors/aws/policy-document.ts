const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

// Condition keys that pin a wildcard principal to known callers: an account, an organization, a principal, a source
// or the KMS caller account. Any other condition (e.g. only kms:ViaService or aws:SecureTransport) leaves it open.
const LIMITING_KEYS = new Set(
  [
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:userid",
    "aws:username",
    "kms:CallerAccount",
  ].map((k) => k.toLowerCase()),
);

function wildcardPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  return asList(principal.AWS).includes("*");
}

function limitingCondition(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  for (const [operator, body] of Object.entries(condition)) {
    // …IfExists and Null operators let requests without the key through, so they do not limit anything.
    if (/IfExists$/i.test(operator) || operator === "Null" || !isObject(body)) continue;
    for (const [key, value] of Object.entries(body)) {
      const values = asList(value);
      if (LIMITING_KEYS.has(key.toLowerCase()) && values.length > 0 && !values.some((v) => v === "*"))
        return true;
    }
  }
  return false;
}

/**
 * True when an Allow statement of a key policy names principal "*" without a condition that limits who can use it;
 * undefined when the policy text is not JSON.
 */
export function policyAllowsWildcardPrincipal(policyText: string | undefined): boolean | undefined {
  let policy: unknown;
  try {
    policy = JSON.parse(policyText ?? "");
  } catch {
    return undefined;
  }
  if (!isObject(policy)) return undefined;
  return asList(policy.Statement).some(
    (st) =>
      isObject(st) &&
      st.Effect === "Allow" &&
      wildcardPrincipal(st.Principal) &&
      !limitingCondition(st.Condition),
  );
}
