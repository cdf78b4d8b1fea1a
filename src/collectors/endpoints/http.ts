import { connect as tlsConnect } from "node:tls";
import { ConnectError, type NetOptions, openTcp, Wire, WireTimeout } from "./net.js";
import type { Opener } from "./tls-probe.js";
import { preview } from "./tls-wire.js";

/** The status line and headers of one HTTP response. */
export interface HttpHead {
  status: number;
  headers: Record<string, string>;
}

/** Parse the HSTS header value (RFC 6797); null when absent or without a valid max-age. */
export function parseHsts(
  value: string | undefined,
): { maxAge: number; includeSubDomains: boolean; preload: boolean } | null {
  if (value === undefined) return null;
  const parts = value
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean);
  let maxAge: number | undefined;
  for (const p of parts) {
    const m = /^max-age\s*=\s*"?(\d+)"?$/i.exec(p);
    if (m) maxAge = Number(m[1]);
  }
  if (maxAge === undefined || !Number.isSafeInteger(maxAge)) return null;
  return {
    maxAge,
    includeSubDomains: parts.some((p) => p.toLowerCase() === "includesubdomains"),
    preload: parts.some((p) => p.toLowerCase() === "preload"),
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
