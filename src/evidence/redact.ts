/** What replaces a redacted value. */
export const REDACTED = "[REDACTED]";

// Key names whose values are secrets, compared after lower-casing and dropping "-", "_" and ".". Names that merely
// mention a key or secret (kmsKeyId, secretArn, keySpec, allSuitesForwardSecret) are identifiers, not secrets.
const SECRET_KEY_EXACT = new Set([
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "secretstring",
  "secretbinary",
  "secretvalue",
  "secretkey",
  "secretaccesskey",
  "clientsecret",
  "privatekey",
  "privatekeypem",
  "apikey",
  "token",
  "accesstoken",
  "refreshtoken",
  "sessiontoken",
  "authtoken",
  "bearertoken",
  "idtoken",
  "authorization",
  "credentials",
  "credential",
  "connectionstring",
  "masteruserpassword",
  "plaintext",
]);
const SECRET_KEY_SUFFIX = [
  "password",
  "passwd",
  "secretkey",
  "accesskey",
  "privatekey",
  "token",
  "apikey",
  "passphrase",
  "secretstring",
];

/** True when a property of this name holds a secret value. */
export function isSecretKey(name: string): boolean {
  const k = name.toLowerCase().replace(/[-_.\s]/g, "");
  if (SECRET_KEY_EXACT.has(k)) return true;
  // "accesskey" alone names an id; secret access keys end in "secretaccesskey" and are covered above.
  return SECRET_KEY_SUFFIX.some(
    (s) => k.endsWith(s) && !(s === "accesskey" && !k.endsWith("secretaccesskey")) && !k.endsWith("count"),
  );
}

// Values that are secrets whatever key they sit under.
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [
    /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
    "[REDACTED:private-key]",
  ],
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, "[REDACTED:aws-access-key-id]"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "[REDACTED:jwt]"],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, "[REDACTED:github-token]"],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/g, "[REDACTED:github-token]"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, "[REDACTED:slack-token]"],
  [/\bsk_live_[A-Za-z0-9]{16,}/g, "[REDACTED:api-key]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g, "$1 [REDACTED]"],
  // user:password@ in URLs and connection strings
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, "$1:[REDACTED]@"],
  // key=value pairs in query strings and connection strings
  [
    /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|client[_-]?secret|sig|signature|x-amz-signature|x-amz-security-token)=([^\s&;"']+)/gi,
    "$1=[REDACTED]",
  ],
  [/"(aws_secret_access_key|secretAccessKey|SecretAccessKey)"\s*:\s*"[^"]*"/g, '"$1":"[REDACTED]"'],
];

/** Replace secret-looking substrings of a string (private keys, tokens, credentials in URLs). */
export function redactString(s: string): string {
  let out = s;
  for (const [re, rep] of SECRET_PATTERNS) out = out.replace(re, rep);
  return out;
}

/** Counts of what a redaction pass replaced. */
export interface RedactionStats {
  byKey: number;
  byPattern: number;
}

/** A deep copy with every value under a secret-named key replaced and secret-looking strings masked. */
export function redact<T>(value: T, stats: RedactionStats = { byKey: 0, byPattern: 0 }): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const r = redactString(v);
      if (r !== v) stats.byPattern++;
      return r;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (isSecretKey(k) && x !== null && x !== undefined && typeof x !== "boolean") {
          out[k] = REDACTED;
          stats.byKey++;
        } else out[k] = walk(x);
      }
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
