import { describeError, type NetOptions, openTcp, type Wire, WireTimeout } from "./net.js";
import { preview } from "./tls-wire.js";

/** The server refused or broke the protocol before TLS could start. */
export class PreambleError extends Error {}

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** Open a connection and ask for TLS with an SSLRequest; resolves when the server answered 'S'. */
export async function openPostgresTls(host: string, port: number, net: NetOptions): Promise<Wire> {
  const wire = await openTcp(host, port, net);
  try {
    await wire.write(SSL_REQUEST);
    const r = await wire.read(1);
    if (r.eof) throw new PreambleError(`no answer to SSLRequest: ${r.reason}`);
    const c = String.fromCharCode(r.data[0]);
    // A real server sends exactly one byte and waits; anything after it is not PostgreSQL (or is a buffer-stuffing attempt).
    if (c === "S" && wire.buffered.length === 0) return wire;
    if (c === "N") throw new PreambleError("the server does not offer TLS (answered N to SSLRequest)");
    const more = await wire.peekRest(40);
    throw new PreambleError(
      `not a PostgreSQL answer to SSLRequest: ${preview(Buffer.concat([r.data, more]))}`,
    );
  } catch (err) {
    wire.close();
    throw err;
  }
}

/** What a plaintext StartupMessage got back. */
export type PlaintextOutcome =
  | { kind: "refused"; detail: string }
  | { kind: "accepted"; detail: string; authMethod: string }
  | { kind: "unknown"; detail: string };

const AUTH: Record<number, string> = {
  0: "trust (AuthenticationOk)",
  2: "kerberos",
  3: "password (cleartext)",
  5: "md5",
  7: "gss",
  9: "sspi",
  10: "scram (SASL)",
};

function startupMessage(user: string, database: string): Buffer {
  const params = Buffer.from(
    `user\0${user}\0database\0${database}\0application_name\0cipherproof\0\0`,
    "utf8",
  );
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4); // protocol 3.0
  return Buffer.concat([head, params]);
}

/** The fields of an ErrorResponse body; undefined when a field or the list is not NUL-terminated. */
function errorFields(body: Buffer): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let o = 0;
  while (o < body.length && body[o] !== 0) {
    const key = String.fromCharCode(body[o]);
    const end = body.indexOf(0, o + 1);
    if (end < 0) return undefined;
    out[key] ??= body.subarray(o + 1, end).toString("utf8");
    o = end + 1;
  }
  if (o >= body.length) return undefined; // no terminating NUL
  return out;
}

/**
 * Send a StartupMessage without TLS. An ErrorResponse with SQLSTATE 28000 (pg_hba.conf has no matching rule, e.g.
 * "no encryption", or a reject rule) means plaintext is refused; any authentication request means it is accepted.
 */
export async function checkPostgresPlaintext(
  host: string,
  port: number,
  net: NetOptions,
  user: string,
  database: string,
): Promise<PlaintextOutcome> {
  let wire: Wire;
  try {
    wire = await openTcp(host, port, net);
  } catch (err) {
    return { kind: "unknown", detail: (err as Error).message };
  }
  try {
    await wire.write(startupMessage(user, database));
    for (let messages = 0; ; messages++) {
      if (messages >= MAX_MESSAGES)
        return {
          kind: "unknown",
          detail: `malformed reply from the server: ${MAX_MESSAGES} messages without an authentication request or error`,
        };
      const head = await wire.read(5);
      if (head.eof) {
        return head.data.length
          ? { kind: "unknown", detail: `truncated reply: ${preview(head.data)}` }
          : { kind: "unknown", detail: `${head.reason} after StartupMessage` };
      }
      const type = String.fromCharCode(head.data[0]);
      const len = head.data.readInt32BE(1);
      if (!"REvNS".includes(type) || len < 4 || len > 65536) {
        const more = await wire.peekRest(40);
        return {
          kind: "unknown",
          detail: `not a PostgreSQL reply: ${preview(Buffer.concat([head.data, more]))}`,
        };
      }
      const body = await wire.read(len - 4);
      if (body.eof) return { kind: "unknown", detail: "connection closed in the middle of a message" };
      if (type === "R") return authenticationRequest(body.data);
      if (type === "E") {
        const f = errorFields(body.data);
        if (f === undefined)
          return { kind: "unknown", detail: "malformed ErrorResponse from the server (unterminated fields)" };
        const detail = `ErrorResponse ${f.C ?? "?"}: ${f.M ?? ""}`.trim();
        return f.C === "28000" ? { kind: "refused", detail } : { kind: "unknown", detail };
      }
      // NegotiateProtocolVersion and notices may come first; keep reading.
    }
  } catch (err) {
    if (err instanceof WireTimeout) return { kind: "unknown", detail: `${err.message} to a StartupMessage` };
    // Never a crash of the whole scan, never a verdict: the reason keeps the message, so a bug stays visible.
    return {
      kind: "unknown",
      detail: `internal error reading the reply to a StartupMessage: ${describeError(err)}`,
    };
  } finally {
    wire.close();
  }
}

/** Messages (notices, NegotiateProtocolVersion, ParameterStatus) read before giving up on a verdict. */
const MAX_MESSAGES = 64;

/** The body length each authentication request must have (code → exact length, or minimum for SASL). */
const AUTH_LENGTH: Record<number, { exact?: number; min?: number }> = {
  0: { exact: 4 },
  2: { exact: 4 },
  3: { exact: 4 },
  5: { exact: 8 }, // + 4-byte salt
  7: { exact: 4 },
  9: { exact: 4 },
  10: { min: 6 }, // + at least one NUL-terminated mechanism name and the list's terminator
};

/** Judge an AuthenticationRequest body ('R'): only a well-formed first-step request is evidence of plaintext accepted. */
function authenticationRequest(body: Buffer): PlaintextOutcome {
  if (body.length < 4)
    return {
      kind: "unknown",
      detail: `malformed AuthenticationRequest from the server: ${body.length}-byte body, no authentication code`,
    };
  const code = body.readInt32BE(0);
  const method = AUTH[code];
  const want = AUTH_LENGTH[code];
  if (method === undefined || want === undefined)
    return {
      kind: "unknown",
      detail: `malformed AuthenticationRequest from the server: code ${code} is not a first authentication step`,
    };
  if (
    (want.exact !== undefined && body.length !== want.exact) ||
    (want.min !== undefined && (body.length < want.min || body[body.length - 1] !== 0))
  )
    return {
      kind: "unknown",
      detail: `malformed AuthenticationRequest from the server: ${method} with a ${body.length}-byte body`,
    };
  return { kind: "accepted", detail: `plaintext StartupMessage answered with ${method}`, authMethod: method };
}
