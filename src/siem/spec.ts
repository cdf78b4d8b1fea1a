import { isAbsolute, resolve } from "node:path";
import { CipherproofError } from "../core/errors.js";
import { SIEM_FORMATS, type SiemFormat } from "./types.js";

/** Where events go. */
export type SinkSpec =
  | { kind: "file"; path: string }
  | { kind: "stdout" }
  | { kind: "hec"; url: string }
  | { kind: "elastic"; url: string; index: string }
  | { kind: "syslog-tls"; host: string; port: number };

/** Retry with exponential backoff and jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Per-target settings (config file `siem.targets[]` objects, or defaults). Secrets are named by env var, never given. */
export interface TargetOptions {
  /** Environment variable holding the HEC token (default CIPHERPROOF_HEC_TOKEN). */
  tokenEnv?: string;
  /** Environment variable holding the Elastic API key (default CIPHERPROOF_ELASTIC_API_KEY). */
  apiKeyEnv?: string;
  index?: string;
  source?: string;
  sourcetype?: string;
  /** HEC indexer acknowledgement. */
  ack?: boolean;
  ackTimeoutMs?: number;
  ackPollMs?: number;
  batchEvents?: number;
  batchBytes?: number;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  caFile?: string;
  clientCert?: string;
  clientKey?: string;
  facility?: number;
  enterpriseId?: number;
}

/** One parsed `FORMAT@SINK` target with its options. */
export interface Target {
  /** The spec as the user wrote it (never holds a secret: credentials in URLs are refused). */
  spec: string;
  format: SiemFormat;
  sink: SinkSpec;
  options: TargetOptions;
}

/** A target as written in the config file: a spec string, or an object with the spec and options. */
export type TargetConfig = string | ({ target: string } & TargetOptions);

function usage(message: string, hint?: string): CipherproofError {
  return new CipherproofError(
    "USAGE",
    message,
    {},
    hint ??
      "--siem FORMAT@SINK, e.g. ocsf@file:events.ndjson, ocsf@hec:https://splunk:8088, cef@syslog+tls://siem:6514, ecs@elastic:https://es:9200/cipherproof",
  );
}

/**
 * A SIEM spec or URL fit for a message: the userinfo and every query value (and any fragment) replaced by
 * `[redacted]`, since people put tokens there (`?api_key=…`). That is done by reading the text only in the plain
 * `[FORMAT@SINK:]scheme://host…` form. A URL parser also reads `https:/u:p@h`, `https:\\h?token=x` and
 * `https:///u:p@h` as URLs with userinfo or a query, and a mistyped URL may hold a token too: in any other form,
 * when what follows the sink's kind holds `@`, `?`, `#` or `\`, none of it is shown.
 */
export function redactSiemUrl(text: string): string {
  const scheme = text.indexOf("://");
  const rest = text.slice(scheme + 3);
  if (
    scheme >= 0 &&
    /^(?:[A-Za-z0-9_-]+@)?(?:[A-Za-z][A-Za-z0-9+.-]*:)?[A-Za-z][A-Za-z0-9+.-]*$/.test(
      text.slice(0, scheme),
    ) &&
    !/^[/\\]/.test(rest) &&
    !rest.includes("\\")
  ) {
    return `${text.slice(0, scheme + 3)}${rest
      .replace(/^[^/?#]*@/, "[redacted]@")
      .replace(/#.*$/s, "#[redacted]")
      .replace(/\?([^#]*)/, (_, q: string) =>
        q === ""
          ? "?"
          : `?${q
              .split("&")
              .map((part) => {
                const eq = part.indexOf("=");
                return eq < 0 ? (part ? "[redacted]" : "") : `${part.slice(0, eq)}=[redacted]`;
              })
              .join("&")}`,
      )}`;
  }
  const head = /^(?:[A-Za-z0-9_-]+@)?[A-Za-z][A-Za-z0-9+.-]*:/.exec(text)?.[0] ?? "";
  return /[@?#\\]/.test(text.slice(head.length)) ? `${head}[redacted]` : text;
}

function httpsUrl(raw: string, spec: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(`--siem ${spec}: "${redactSiemUrl(raw)}" is not a URL`);
  }
  if (url.protocol !== "https:")
    throw usage(`--siem ${spec}: ${what} needs an https:// URL (tokens never travel in clear text)`);
  // A URL that carried credentials would be printed in messages and spool files; secrets come from the environment.
  if (url.username || url.password)
    throw usage(
      `--siem ${spec}: credentials in the URL are not accepted`,
      "put the token in the environment variable the docs name (CIPHERPROOF_HEC_TOKEN, CIPHERPROOF_ELASTIC_API_KEY)",
    );
  if (url.search || url.hash)
    throw usage(
      `--siem ${spec}: the URL must not have a query or fragment`,
      "put the token in the environment variable the docs name (CIPHERPROOF_HEC_TOKEN, CIPHERPROOF_ELASTIC_API_KEY)",
    );
  return url;
}

/** Parse one `FORMAT@SINK` spec; bad specs are usage errors. Relative file paths resolve against `cwd`. */
export function parseTarget(raw: string, cwd: string, options: TargetOptions = {}): Target {
  // Messages quote the spec only redacted: credentials or a token in a query must not be echoed back.
  const shown = redactSiemUrl(raw);
  if (/:\/\/[^/@\s?#]*@/.test(raw))
    throw usage(
      `--siem ${shown}: credentials in the URL are not accepted`,
      "put the token in the environment variable the docs name (CIPHERPROOF_HEC_TOKEN, CIPHERPROOF_ELASTIC_API_KEY)",
    );
  const spec = raw;
  const at = spec.indexOf("@");
  if (at <= 0) throw usage(`--siem "${shown}": expected FORMAT@SINK`);
  const format = spec.slice(0, at);
  const sink = spec.slice(at + 1);
  if (!(SIEM_FORMATS as readonly string[]).includes(format))
    throw usage(`--siem "${shown}": unknown format "${format}"`, `formats: ${SIEM_FORMATS.join(", ")}`);
  const f = format as SiemFormat;
  if (sink === "stdout" || sink === "-" || sink === "file:-")
    return { spec, format: f, sink: { kind: "stdout" }, options };
  if (sink.startsWith("file:")) {
    const path = sink.slice(5);
    if (!path) throw usage(`--siem "${shown}": file: needs a path`);
    return {
      spec,
      format: f,
      sink: { kind: "file", path: isAbsolute(path) ? path : resolve(cwd, path) },
      options,
    };
  }
  if (sink.startsWith("hec:")) {
    const url = httpsUrl(sink.slice(4), shown, "hec");
    return { spec, format: f, sink: { kind: "hec", url: url.href.replace(/\/$/, "") }, options };
  }
  if (sink.startsWith("elastic:")) {
    const url = httpsUrl(sink.slice(8), shown, "elastic");
    const parts = url.pathname.split("/").filter(Boolean);
    const index = parts.pop() ?? options.index;
    if (!index) throw usage(`--siem "${shown}": elastic needs an index: elastic:https://host:9200/INDEX`);
    if (!/^[a-z0-9][a-z0-9._+-]*$/.test(index) || index.length > 255)
      throw usage(
        `--siem "${shown}": "${index}" is not a valid Elasticsearch index name (lowercase, no spaces or \\/*?"<>|,#:)`,
      );
    const base = `${url.origin}${parts.length ? `/${parts.join("/")}` : ""}`;
    return { spec, format: f, sink: { kind: "elastic", url: base, index }, options };
  }
  if (sink.startsWith("syslog+tls://")) {
    const m = /^syslog\+tls:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(sink);
    if (!m) throw usage(`--siem "${shown}": expected syslog+tls://HOST[:PORT]`);
    const port = m[2] ? Number(m[2]) : 6514;
    if (port < 1 || port > 65535) throw usage(`--siem "${shown}": port ${port} is out of range`);
    return {
      spec,
      format: f,
      sink: { kind: "syslog-tls", host: m[1].replace(/^\[|\]$/g, ""), port },
      options,
    };
  }
  if (sink.startsWith("syslog://") || sink.startsWith("syslog+tcp://") || sink.startsWith("syslog+udp://")) {
    throw usage(
      `--siem "${shown}": only syslog over TLS is supported`,
      "use syslog+tls://HOST:6514 (RFC 5425)",
    );
  }
  throw usage(
    `--siem "${shown}": unknown sink "${redactSiemUrl(sink)}"`,
    "sinks: file:PATH, stdout, hec:https://HOST:8088, elastic:https://HOST:9200/INDEX, syslog+tls://HOST:6514",
  );
}

/** Parse targets from flags and config; shared options (CA file, client certificate) fill what a target leaves out. */
export function parseTargets(specs: TargetConfig[], cwd: string, shared: TargetOptions = {}): Target[] {
  return specs.map((s) => {
    if (typeof s === "string") return parseTarget(s, cwd, { ...shared });
    const { target, ...opts } = s;
    return parseTarget(target, cwd, { ...shared, ...opts });
  });
}

/** A short, secret-free key naming where a target delivers (one spool per key). */
export function targetKey(t: Target): string {
  const s = t.sink;
  const where =
    s.kind === "file"
      ? `file:${s.path}`
      : s.kind === "stdout"
        ? "stdout"
        : s.kind === "hec"
          ? `hec:${s.url}`
          : s.kind === "elastic"
            ? `elastic:${s.url}/${s.index}`
            : `syslog+tls://${s.host}:${s.port}`;
  return `${t.format}@${where}`;
}
