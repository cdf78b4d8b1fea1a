import { existsSync, statSync } from "node:fs";
import { isIP } from "node:net";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import { CipherproofError, CipherproofErrors } from "../../core/errors.js";
import { parseJson } from "../../core/json.js";
import { validateInput } from "../../core/validate-input.js";
import { readText } from "../../loaders/read.js";

/** What kind of service a target is. */
export type TargetKind = "https" | "tls" | "postgres" | "smtp" | "http";

/** One endpoint to scan, normalized. */
export interface EndpointTarget {
  /** Stable resource id, e.g. `https://example.com:443`. */
  id: string;
  /** Display name (defaults to the target as written). */
  name: string;
  kind: TargetKind;
  host: string;
  port: number;
  /** Server name sent in SNI; null sends none. */
  sni: string | null;
  /** Host name the certificate must cover. */
  hostname: string;
  /** HTTP path to request (https / http targets). */
  path: string;
  /** PostgreSQL database and user for the plaintext StartupMessage. */
  database?: string;
  user?: string;
}

/** Per-target settings as written in an endpoints file. */
export interface TargetSettings {
  sni?: string | null;
  hostname?: string;
  name?: string;
}

const DEFAULT_PORTS: Record<TargetKind, number> = {
  https: 443,
  tls: 443,
  postgres: 5432,
  smtp: 25,
  http: 80,
};

const SCHEMES: Record<string, TargetKind> = {
  "https:": "https",
  "http:": "http",
  "postgres:": "postgres",
  "postgresql:": "postgres",
  "smtp:": "smtp",
  "tls:": "tls",
};

function bad(message: string, where: { file?: string; pointer?: string } = {}): CipherproofError {
  return new CipherproofError(
    where.file ? "ENDPOINTS_INVALID" : "USAGE",
    message,
    where,
    "targets look like https://host[:port], host:port, postgres://host[:port][/db][?user=NAME], smtp://host:port or http://host[:port]",
  );
}

/** The user of the plaintext StartupMessage when a PostgreSQL target names none. */
export const DEFAULT_POSTGRES_USER = "postgres";

// Query parameters a PostgreSQL target may carry: the user for the plaintext probe, and sslmode, which is accepted
// (connection strings copied from applications carry it) and ignored: every probe tries both plaintext and TLS.
const POSTGRES_PARAMETERS = new Set(["user", "sslmode"]);

// Words that make an HTTP query parameter look like a secret (matched against the name's words, split at
// punctuation and camelCase, and as substrings of the longer ones).
const SECRET_WORDS = new Set([
  "pass",
  "passwd",
  "password",
  "pwd",
  "token",
  "key",
  "secret",
  "sig",
  "signature",
  "auth",
  "authorization",
  "cred",
  "creds",
  "credential",
  "credentials",
  "session",
  "jwt",
  "bearer",
  "otp",
]);
const SECRET_SUBSTRINGS =
  /password|passwd|secret|token|apikey|accesskey|privatekey|credential|signature|session/;

/** True when a query parameter name looks like it carries a secret (password, token, key, signature…). */
export function secretLookingParameter(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return (
    words.some((w) => SECRET_WORDS.has(w)) ||
    SECRET_SUBSTRINGS.test(name.toLowerCase().replace(/[^a-z0-9]/g, ""))
  );
}

/** The target as messages may show it: user info, query values and fragment blanked. */
function shown(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, "$1***@")
    .replace(/#.*$/s, "#***")
    .replace(/([?&;][^=&#;]*=)[^&#;]*/g, "$1***");
}

/** Parse one target string (plus optional settings) into a normalized target. */
export function parseTarget(
  raw: string,
  settings: TargetSettings = {},
  where: { file?: string; pointer?: string } = {},
): EndpointTarget {
  // Credentials are refused, and never echoed: every message below shows the target with user info, query values
  // and fragment blanked; the display name keeps the query only once nothing in it is refused.
  const input = raw.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, "$1***@");
  const text = shown(input);
  if (!text) throw bad("empty endpoint target", where);
  let kind: TargetKind;
  let url: URL;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
  if (scheme) {
    const k = SCHEMES[`${scheme.toLowerCase()}:`];
    if (!k) throw bad(`unsupported scheme "${scheme}://" in endpoint target "${text}"`, where);
    kind = k;
    try {
      url = new URL(input);
    } catch {
      throw bad(`endpoint target "${text}" is not a valid URL`, where);
    }
  } else {
    kind = "tls";
    if (!/^(\[[0-9a-f:.]+\]|[^\s:/[\]]+):\d+$/i.test(input))
      throw bad(`endpoint target "${text}" needs a port (host:port) or a scheme`, where);
    try {
      url = new URL(`tls://${input}`);
    } catch {
      throw bad(`endpoint target "${text}" has an invalid host or port`, where);
    }
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw bad(`endpoint target "${text}" has no host`, where);
  if (url.username || url.password)
    throw bad(`endpoint target "${text}" must not contain credentials`, where);
  if (url.hash) throw bad(`endpoint target "${text}" must not have a #fragment`, where);
  for (const name of new Set(url.searchParams.keys())) {
    if (kind === "postgres" && !POSTGRES_PARAMETERS.has(name))
      throw bad(
        `endpoint target "${text}": query parameter "${name}" is not allowed (only user and sslmode; credentials are never given to a scan)`,
        where,
      );
    if (kind !== "postgres" && secretLookingParameter(name))
      throw bad(
        `endpoint target "${text}": query parameter "${name}" looks like a secret and would be printed in every report; scan the path without it`,
        where,
      );
  }
  if (kind === "postgres")
    for (const name of POSTGRES_PARAMETERS)
      if (url.searchParams.getAll(name).length > 1)
        throw bad(`endpoint target "${text}": query parameter "${name}" is given more than once`, where);
  // Only https/http probe a path and only postgres names a database: anything else would be silently ignored.
  if (
    kind !== "postgres" &&
    kind !== "https" &&
    kind !== "http" &&
    ((url.pathname && url.pathname !== "/") || url.search)
  )
    throw bad(
      `endpoint target "${text}": a ${kind}:// target has no path or query (the probe would ignore it)`,
      where,
    );
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[kind];
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw bad(`endpoint target "${text}" has an invalid port`, where);
  const hostPart = isIP(host) === 6 ? `[${host}]` : host.toLowerCase();
  let database: string | undefined;
  let user: string | undefined;
  let path = "/";
  let id: string;
  if (kind === "postgres") {
    database = decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined;
    user = url.searchParams.get("user") ?? undefined;
    id = `postgres://${hostPart}:${port}${database ? `/${encodeURIComponent(database)}` : ""}`;
  } else if (kind === "https" || kind === "http") {
    path = `${url.pathname || "/"}${url.search}`;
    id = `${kind}://${hostPart}:${port}${path === "/" ? "" : path}`;
  } else {
    id = `${kind}://${hostPart}:${port}`;
  }
  const hostname = settings.hostname ?? host;
  const defaultSni = isIP(host) ? null : host;
  const sni = settings.sni === undefined ? defaultSni : settings.sni;
  // Settings that change what is measured are part of the id when they differ from the defaults, so two virtual
  // hosts on one address (or two users of one database) are two resources: `<base>#sni=…&hostname=…&user=…`.
  const variant = new URLSearchParams();
  if ((sni ?? "").toLowerCase() !== (defaultSni ?? "").toLowerCase()) variant.set("sni", sni ?? "");
  if (hostname.toLowerCase() !== host.toLowerCase()) variant.set("hostname", hostname.toLowerCase());
  if (kind === "postgres" && user !== undefined && user !== DEFAULT_POSTGRES_USER) variant.set("user", user);
  if (variant.toString()) id = `${id}#${variant}`;
  return { id, name: settings.name ?? input, kind, host, port, sni, hostname, path, database, user };
}

const FILE_SCHEMA = {
  $id: "urn:cipherproof:endpoints-file",
  anyOf: [
    { $ref: "#/$defs/list" },
    {
      type: "object",
      required: ["endpoints"],
      additionalProperties: false,
      properties: { endpoints: { $ref: "#/$defs/list" } },
    },
  ],
  $defs: {
    list: {
      type: "array",
      items: {
        anyOf: [
          { type: "string", minLength: 1 },
          {
            type: "object",
            required: ["target"],
            additionalProperties: false,
            properties: {
              target: { type: "string", minLength: 1 },
              sni: { type: ["string", "null"] },
              hostname: { type: "string", minLength: 1 },
              name: { type: "string", minLength: 1 },
            },
          },
        ],
      },
    },
  },
};

/** Read an endpoints file: a JSON or YAML list of targets or `{target, sni, hostname, name}` objects (optionally under `endpoints:`). */
export function loadTargetsFile(file: string): EndpointTarget[] {
  const text = readText(file, "endpoints file");
  const ext = extname(file).toLowerCase();
  let raw: unknown;
  if (ext === ".yaml" || ext === ".yml") {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length) {
      const pos = doc.errors[0].linePos?.[0];
      throw new CipherproofError("YAML_SYNTAX", `invalid YAML: ${doc.errors[0].message.split("\n")[0]}`, {
        file,
        line: pos?.line,
        column: pos?.col,
      });
    }
    raw = doc.toJS();
  } else raw = parseJson(text, file);
  const errors = validateInput(FILE_SCHEMA, raw, file, "ENDPOINTS_INVALID");
  if (errors.length) throw errors.length === 1 ? errors[0] : new CipherproofErrors(errors);
  const list = (Array.isArray(raw) ? raw : (raw as { endpoints: unknown[] }).endpoints) as Array<
    string | ({ target: string } & TargetSettings)
  >;
  const prefix = Array.isArray(raw) ? "" : "/endpoints";
  return list.map((entry, i) =>
    typeof entry === "string"
      ? parseTarget(entry, {}, { file, pointer: `${prefix}/${i}` })
      : parseTarget(entry.target, entry, { file, pointer: `${prefix}/${i}/target` }),
  );
}

/** Turn `--endpoints` arguments (files or targets) into a de-duplicated target list. */
export function resolveTargets(args: string[]): EndpointTarget[] {
  const out: EndpointTarget[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(arg);
    const looksLikeFile = !hasScheme && existsSync(arg) && statSync(arg).isFile();
    if (!looksLikeFile && !hasScheme && /\.(json|ya?ml)$/i.test(arg))
      throw new CipherproofError(
        "FILE_NOT_FOUND",
        "endpoints file not found",
        { file: arg },
        "give an existing JSON or YAML endpoints file, or a target such as host:port or https://host",
      );
    const targets = looksLikeFile ? loadTargetsFile(arg) : [parseTarget(arg)];
    for (const t of targets) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      out.push(t);
    }
  }
  if (out.length === 0) throw bad("no endpoint targets given");
  return out;
}
