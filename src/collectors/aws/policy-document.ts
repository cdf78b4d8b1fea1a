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
    // aws:userid is a globally unique id; aws:username is not listed: a user of that name exists in any account.
    "aws:userid",
    "kms:CallerAccount",
  ].map((k) => k.toLowerCase()),
);

function wildcardPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  return asList(principal.AWS).includes("*");
}

// Positive operators that pin a key to the listed values. Not… operators admit everything except the values,
// ForAnyValue:… passes when the key is absent, …IfExists passes when the key is absent and Null tests presence only.
const EXACT_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "arnequals"]);
const PATTERN_OPERATORS = new Set(["stringlike", "arnlike"]);

/** The values an operator limits to, or undefined when the operator does not limit its key to known values. */
function limitingValues(operator: string, value: unknown): unknown[] | undefined {
  const op = operator.toLowerCase();
  // ForAllValues:… on a single-valued key behaves as the plain operator (a missing key passes, so it is excluded too).
  if (op.includes(":") || op.endsWith("ifexists")) return undefined;
  const values = asList(value);
  // A bare "*" is read as "anyone" whatever the operator (conservative: it can only turn a pass into a fail).
  if (values.length === 0 || !values.every((v) => typeof v === "string" && v !== "" && v !== "*"))
    return undefined;
  if (EXACT_OPERATORS.has(op)) return values;
  // A wildcard in a Like pattern can match callers nobody listed, so only literal patterns limit.
  if (PATTERN_OPERATORS.has(op) && values.every((v) => !/[*?]/.test(v as string))) return values;
  return undefined;
}

function limitingCondition(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  for (const [operator, body] of Object.entries(condition)) {
    if (!isObject(body)) continue;
    for (const [key, value] of Object.entries(body)) {
      if (LIMITING_KEYS.has(key.toLowerCase()) && limitingValues(operator, value)) return true;
    }
  }
  return false;
}

/**
 * True when an Allow statement of a key policy names principal "*" (or uses NotPrincipal) without a condition that
 * limits who can use it;
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
      // NotPrincipal in an Allow admits everyone except the principals it lists.
      (wildcardPrincipal(st.Principal) || st.NotPrincipal !== undefined) &&
      !limitingCondition(st.Condition),
  );
}
