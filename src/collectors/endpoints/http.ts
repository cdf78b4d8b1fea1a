import { connect as tlsConnect } from "node:tls";
import { ConnectError, type NetOptions, openTcp, Wire, WireTimeout } from "./net.js";
import type { Opener } from "./tls-probe.js";
import { preview } from "./tls-wire.js";

/** The status line and headers of one HTTP response. */
export interface HttpHead {
  status: number;
  headers: Record<string, string>;
}

/** RFC 2616 token characters: any CHAR except CTLs and separators. */
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * The directives of one Strict-Transport-Security value per RFC 6797 §6.1 — names lower-cased, values unquoted (null
 * for a valueless directive) — or null when the value does not follow the grammar (unbalanced quote, stray
 * characters, a directive given twice): such a header must be ignored by the browser, so it is no HSTS at all.
 */
export function hstsDirectives(value: string): Map<string, string | null> | null {
  const out = new Map<string, string | null>();
  const n = value.length;
  let i = 0;
  const lws = () => {
    while (i < n && (value[i] === " " || value[i] === "\t")) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(value[i])) i++;
    return value.slice(start, i);
  };
  for (;;) {
    lws();
    if (i >= n) return out;
    if (value[i] === ";") {
      i++; // empty directive: allowed by the grammar ([ directive ] *( ";" [ directive ] ))
      continue;
    }
    const name = token().toLowerCase();
    if (!name) return null;
    lws();
    let val: string | null = null;
    if (value[i] === "=") {
      i++;
      lws();
      if (value[i] === '"') {
        i++;
        let v = "";
        for (;;) {
          if (i >= n) return null; // unbalanced quote
          const c = value[i++];
          if (c === '"') break;
          if (c === "\\") {
            if (i >= n) return null;
            v += value[i++];
          } else if (c.charCodeAt(0) < 0x20 && c !== "\t") return null;
          else v += c;
        }
        val = v;
      } else {
        val = token();
        if (!val) return null;
      }
      lws();
    }
    if (i < n && value[i] !== ";") return null;
    // "All directives MUST appear only once in an STS header field" (RFC 6797 §6.1).
    if (out.has(name)) return null;
    out.set(name, val);
  }
}

/**
 * Parse the HSTS header value (RFC 6797 §6.1): null when absent, when the value breaks the grammar or repeats a
 * directive (the UA must ignore such a header), or without a valid max-age (1*DIGIT, quoted or not). Directive names
 * are case-insensitive; unknown directives are ignored; includeSubDomains and preload count only without a value.
 * Only the first Strict-Transport-Security field of a response is processed (RFC 6797 §8.1); the caller passes that.
 */
export function parseHsts(
  value: string | undefined,
): { maxAge: number; includeSubDomains: boolean; preload: boolean } | null {
  if (value === undefined) return null;
  const d = hstsDirectives(value);
  if (!d) return null;
  const raw = d.get("max-age");
  if (raw == null || !/^\d+$/.test(raw)) return null;
  const maxAge = Number(raw);
  if (!Number.isSafeInteger(maxAge)) return null;
  return {
    maxAge,
    includeSubDomains: d.has("includesubdomains") && d.get("includesubdomains") === null,
    preload: d.has("preload") && d.get("preload") === null,
  };
}

function request(host: string, port: number, defaultPort: number, path: string): string {
  const h = host.includes(":") ? `[${host}]` : host;
  return `GET ${path} HTTP/1.1\r\nHost: ${h}${port === defaultPort ? "" : `:${port}`}\r\nUser-Agent: cipherproof\r\nAccept: */*\r\nConnection: close\r\n\r\n`;
}

function parseHead(raw: string): HttpHead {
  const [statusLine, ...lines] = raw.split("\r\n");
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine);
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine.slice(0, 40))}`);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) {
      const k = l.slice(0, i).trim().toLowerCase();
      // The first occurrence counts, as browsers do for Strict-Transport-Security.
      headers[k] ??= l.slice(i + 1).trim();
    }
  }
  return { status: Number(m[1]), headers };
}

async function readHead(wire: Wire): Promise<HttpHead> {
  const r = await wire.readUntil("\r\n\r\n", 65536);
  if (r.eof)
    throw new Error(
      r.data.length ? `not an HTTP response: ${preview(r.data)}` : `no HTTP response: ${r.reason}`,
    );
  return parseHead(r.data.toString("latin1"));
}

/** GET a path over TLS on an opened connection and return the response head. */
export async function httpsHead(
  open: Opener,
  opts: {
    host: string;
    port: number;
    path: string;
    sni: string | null;
    ca: string[];
    timeoutMs: number;
    readTimeoutMs: number;
  },
): Promise<HttpHead> {
  const wire = await open();
  const socket = wire.detach();
  const tls = tlsConnect({
    socket,
    servername: opts.sni ?? undefined,
    ca: opts.ca,
    rejectUnauthorized: false,
    minVersion: "TLSv1",
    ciphers: "ALL:@SECLEVEL=0",
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`TLS handshake did not complete within ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
      tls.once("secureConnect", () => {
        clearTimeout(t);
        resolve();
      });
      tls.once("error", (e: NodeJS.ErrnoException) => {
        clearTimeout(t);
        reject(new Error(`TLS handshake failed: ${e.code ?? e.message}`));
      });
    });
    const w = new Wire(tls, opts.readTimeoutMs);
    await w.write(request(opts.host, opts.port, 443, opts.path));
    return await readHead(w);
  } catch (err) {
    if (err instanceof WireTimeout) throw new Error(`${err.message} to an HTTPS request`);
    throw err;
  } finally {
    tls.destroy();
    socket.destroy();
  }
}

/** What a plain-HTTP endpoint does with a request. */
export type PlainHttpOutcome =
  | { kind: "redirects-to-https" | "redirects-elsewhere" | "served"; status: number; location: string | null }
  | { kind: "refused"; detail: string }
  | { kind: "unknown"; detail: string };

/** Send a plain-HTTP GET: a redirect to https:// or a refused connection is what compliance looks like. */
export async function checkPlainHttp(
  host: string,
  port: number,
  path: string,
  net: NetOptions,
  hostHeader = host,
): Promise<PlainHttpOutcome> {
  let wire: Wire;
  try {
    wire = await openTcp(host, port, net);
  } catch (err) {
    if (err instanceof ConnectError && err.refused) return { kind: "refused", detail: err.message };
    return { kind: "unknown", detail: (err as Error).message };
  }
  try {
    await wire.write(request(hostHeader, port, 80, path));
    const head = await readHead(wire);
    const location = head.headers.location ?? null;
    if ([301, 302, 303, 307, 308].includes(head.status)) {
      return {
        kind: location && /^https:\/\//i.test(location) ? "redirects-to-https" : "redirects-elsewhere",
        status: head.status,
        location,
      };
    }
    return { kind: "served", status: head.status, location };
  } catch (err) {
    if (err instanceof WireTimeout) return { kind: "unknown", detail: `${err.message} to an HTTP request` };
    return { kind: "unknown", detail: (err as Error).message };
  } finally {
    wire.close();
  }
}
