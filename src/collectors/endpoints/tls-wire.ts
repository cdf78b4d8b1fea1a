import { createECDH, generateKeyPairSync } from "node:crypto";
import { isIP } from "node:net";
import { GROUPS, PROTOCOL_WIRE, type Protocol, suiteByCode } from "./cipher-suites.js";
import { type Wire, WireTimeout } from "./net.js";

/** TLS record content types. */
const CT_CCS = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPDATA = 23;

/** The fixed ServerHello.random that marks a HelloRetryRequest (RFC 8446 4.1.3). */
const HRR_RANDOM = Buffer.from("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c", "hex");

/** Alert descriptions, for readable reasons. */
const ALERTS: Record<number, string> = {
  0: "close_notify",
  10: "unexpected_message",
  20: "bad_record_mac",
  22: "record_overflow",
  40: "handshake_failure",
  42: "bad_certificate",
  47: "illegal_parameter",
  48: "unknown_ca",
  50: "decode_error",
  51: "decrypt_error",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  86: "inappropriate_fallback",
  90: "user_canceled",
  109: "missing_extension",
  110: "unsupported_extension",
  112: "unrecognized_name",
  120: "no_application_protocol",
};

// Weakest first: a server that lets the client choose then reveals the weakest group it accepts.
const OFFERED_GROUPS = [...GROUPS.entries()]
  .sort((a, b) => (a[1].kind === b[1].kind ? a[1].bits - b[1].bits : a[1].kind === "ecdh" ? -1 : 1))
  .map(([code]) => code);
const TLS13_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
const SIG_ALGS = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501,
  0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201, 0x0202,
];

let shares: { x25519: Buffer; p256: Buffer } | undefined;
function keyShares(): { x25519: Buffer; p256: Buffer } {
  if (!shares) {
    const jwk = generateKeyPairSync("x25519").publicKey.export({ format: "jwk" }) as { x: string };
    const ecdh = createECDH("prime256v1");
    shares = { x25519: Buffer.from(jwk.x, "base64url"), p256: ecdh.generateKeys() };
  }
  return shares;
}

function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}
function vec16(body: Buffer): Buffer {
  return Buffer.concat([u16(body.length), body]);
}
function list16(values: number[]): Buffer {
  return vec16(Buffer.concat(values.map(u16)));
}
function ext(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(body)]);
}

/** What to put in one ClientHello. */
export interface HelloSpec {
  protocol: Protocol;
  suites: number[];
  /** Server name for SNI; not sent for IP addresses. */
  sni?: string | null;
  /** supported_groups to offer instead of every known group (TLS 1.2 and older). */
  groups?: number[];
}

/** Build a complete ClientHello record for one protocol and suite list. */
export function buildClientHello(spec: HelloSpec): Buffer {
  const { protocol } = spec;
  const wire = PROTOCOL_WIRE[protocol];
  const legacyVersion = Math.min(wire, 0x0303);
  const suites = [...spec.suites];
  // The renegotiation SCSV keeps strict servers happy; TLS_FALLBACK_SCSV is never sent (it would turn older-version probes into alerts).
  if (protocol !== "TLSv1.3") suites.push(0x00ff);
  const random = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) random[i] = Math.floor(Math.random() * 256);
  const sessionId = protocol === "TLSv1.3" ? Buffer.from(random).reverse() : Buffer.alloc(0);

  const exts: Buffer[] = [];
  if (protocol !== "SSLv3") {
    if (spec.sni && !isIP(spec.sni)) {
      const name = Buffer.from(spec.sni, "ascii");
      exts.push(ext(0x0000, vec16(Buffer.concat([u8(0), vec16(name)]))));
    }
    exts.push(ext(0x000a, list16(protocol === "TLSv1.3" ? TLS13_GROUPS : (spec.groups ?? OFFERED_GROUPS))));
    exts.push(ext(0x000b, Buffer.from([3, 0, 1, 2])));
    if (protocol === "TLSv1.2" || protocol === "TLSv1.3") exts.push(ext(0x000d, list16(SIG_ALGS)));
    exts.push(ext(0x0017, Buffer.alloc(0)));
    if (protocol === "TLSv1.3") {
      const ks = keyShares();
      exts.push(ext(0x002b, Buffer.concat([u8(2), u16(0x0304)])));
      exts.push(ext(0x002d, Buffer.from([1, 1])));
      exts.push(
        ext(0x0033, vec16(Buffer.concat([u16(0x001d), vec16(ks.x25519), u16(0x0017), vec16(ks.p256)]))),
      );
    }
  }
  const build = (extensions: Buffer[]): Buffer => {
    const body = Buffer.concat([
      u16(legacyVersion),
      random,
      u8(sessionId.length),
      sessionId,
      list16(suites),
      Buffer.from([1, 0]),
      ...(extensions.length ? [vec16(Buffer.concat(extensions))] : []),
    ]);
    return Buffer.concat([u8(1), u24(body.length), body]);
  };
  let hs = build(exts);
  // Some middleboxes hang on ClientHellos of 256-511 bytes; the padding extension (RFC 7685) steps over that range.
  if (protocol !== "SSLv3" && hs.length >= 252 && hs.length < 512) {
    const pad = Math.max(1, 512 - hs.length - 4);
    hs = build([...exts, ext(0x0015, Buffer.alloc(pad))]);
  }
  return Buffer.concat([u8(CT_HANDSHAKE), u16(protocol === "SSLv3" ? 0x0300 : 0x0301), u16(hs.length), hs]);
}

/** The key-exchange group a server used, as far as the handshake shows it. */
export interface KxGroup {
  kind: "ecdh" | "dh" | "rsa-export";
  name: string;
  bits: number;
}

/**
 * What a server answered to one ClientHello.
 *
 * - `rejected`: the server refused — a fatal TLS alert (`by: "alert"`), or a clean close (FIN) with nothing sent after
 *   it had the hello (`by: "close"`; some stacks refuse a version that way).
 * - `lost`: no evidence either way — the connection was reset, failed, or was gone before the hello could be sent. A
 *   reset is not a refusal (a proxy, a load balancer or an overloaded server resets connections for reasons of its
 *   own), so the caller retries and, if it keeps happening, records the evidence as missing.
 * - `broken`: the peer is not speaking TLS (or breaks it); the whole target ends as error.
 */
export type HelloOutcome =
  | {
      kind: "accepted";
      version: number;
      suite: number;
      group?: KxGroup;
      hrr: boolean;
      kxMissing?: string;
      /** SSLv2 only: every cipher kind the SERVER-HELLO lists (it names them all at once; the client picks). */
      ssl2Suites?: number[];
    }
  | { kind: "rejected"; reason: string; by: "alert" | "close" | "reply" }
  | {
      kind: "lost";
      reason: string;
      /** Not worth another attempt: the probe already waited out the whole read timeout. */
      final?: boolean;
    }
  | { kind: "broken"; reason: string };

/** Printable preview of bytes that are not TLS, for error reasons (never more than 24 bytes). */
export function preview(b: Buffer): string {
  const head = b.subarray(0, 24);
  const text = head.toString("latin1");
  return /^[\x20-\x7e\r\n\t]+$/.test(text) ? JSON.stringify(text) : head.toString("hex");
}

class HandshakeReader {
  private buf: Buffer = Buffer.alloc(0);
  private warnings = 0;
  constructor(private readonly wire: Wire) {}

  /** Next handshake message, reading records as needed; alerts and non-TLS bytes end the probe. */
  async next(): Promise<{ type: number; body: Buffer } | HelloOutcome> {
    for (;;) {
      if (this.buf.length >= 4) {
        const len = this.buf.readUIntBE(1, 3);
        if (this.buf.length >= 4 + len) {
          const msg = { type: this.buf[0], body: this.buf.subarray(4, 4 + len) };
          this.buf = this.buf.subarray(4 + len);
          return msg;
        }
      }
      const header = await this.wire.read(5);
      if (header.eof) {
        if (header.data.length) return { kind: "broken", reason: `truncated reply: ${preview(header.data)}` };
        // Only a clean close is the server's answer; a reset or a socket error says nothing about the hello.
        return header.cause === "fin"
          ? { kind: "rejected", reason: header.reason ?? "connection closed without an alert", by: "close" }
          : { kind: "lost", reason: header.reason ?? "connection closed" };
      }
      const h = header.data;
      const type = h[0];
      const len = h.readUInt16BE(3);
      if (
        ![CT_CCS, CT_ALERT, CT_HANDSHAKE, CT_APPDATA].includes(type) ||
        h[1] !== 3 ||
        h[2] > 4 ||
        len === 0 ||
        len > 18432
      ) {
        const more = await this.wire.peekRest(40);
        return { kind: "broken", reason: `not a TLS reply: ${preview(Buffer.concat([h, more]))}` };
      }
      const frag = await this.wire.read(len);
      if (frag.eof) return { kind: "broken", reason: "connection closed in the middle of a TLS record" };
      if (type === CT_ALERT) {
        if (frag.data.length < 2) return { kind: "broken", reason: "malformed TLS alert" };
        const level = frag.data[0];
        const desc = frag.data[1];
        // A warning (other than close_notify) does not end a TLS <= 1.2 handshake: servers that do not know the SNI
        // name send unrecognized_name(112) as a warning and carry on with their ServerHello.
        if (level === 1 && desc !== 0 && ++this.warnings <= 4) continue;
        return { kind: "rejected", reason: `alert ${ALERTS[desc] ?? "unknown"}(${desc})`, by: "alert" };
      }
      if (type === CT_CCS) continue;
      if (type === CT_APPDATA) return { kind: "broken", reason: "application data before the handshake" };
      this.buf = Buffer.concat([this.buf, frag.data]);
    }
  }
}

function isOutcome(x: unknown): x is HelloOutcome {
  return typeof x === "object" && x !== null && "kind" in x;
}

interface ParsedServerHello {
  version: number;
  suite: number;
  hrr: boolean;
  keyShareGroup?: number;
}

/** Parse a ServerHello body (also a HelloRetryRequest); throws on malformed input. */
export function parseServerHello(body: Buffer): ParsedServerHello {
  let o = 0;
  const need = (n: number) => {
    if (o + n > body.length) throw new Error("ServerHello truncated");
  };
  need(35);
  let version = body.readUInt16BE(0);
  const random = body.subarray(2, 34);
  o = 34;
  const sidLen = body[o];
  o += 1 + sidLen;
  need(3);
  const suite = body.readUInt16BE(o);
  o += 3; // suite + compression
  const hrr = random.equals(HRR_RANDOM);
  let keyShareGroup: number | undefined;
  if (o + 2 <= body.length) {
    const extLen = body.readUInt16BE(o);
    o += 2;
    const end = o + extLen;
    if (end > body.length) throw new Error("ServerHello extensions truncated");
    while (o + 4 <= end) {
      const t = body.readUInt16BE(o);
      const l = body.readUInt16BE(o + 2);
      const v = body.subarray(o + 4, o + 4 + l);
      if (t === 0x002b && l >= 2) version = v.readUInt16BE(0);
      if (t === 0x0033 && l >= 2) keyShareGroup = v.readUInt16BE(0);
      o += 4 + l;
    }
  }
  return { version, suite, hrr, keyShareGroup };
}

function groupOf(code: number): KxGroup {
  const g = GROUPS.get(code);
  return g
    ? { kind: g.kind, name: g.name, bits: g.bits }
    : { kind: "ecdh", name: `group-0x${code.toString(16).padStart(4, "0")}`, bits: 0 };
}

/** Parse the key-exchange parameters at the start of a ServerKeyExchange (exported for tests). */
export function parseServerKeyExchange(body: Buffer, kx: string): KxGroup | undefined {
  let o = 0;
  if (kx === "DHE-PSK" || kx === "ECDHE-PSK") o += 2 + body.readUInt16BE(0); // psk_identity_hint
  if (kx === "DHE" || kx === "DHE-PSK") {
    const plen = body.readUInt16BE(o);
    let p = body.subarray(o + 2, o + 2 + plen);
    while (p.length && p[0] === 0) p = p.subarray(1);
    const bits = p.length ? (p.length - 1) * 8 + (32 - Math.clz32(p[0])) : 0;
    return { kind: "dh", name: `DH ${bits}`, bits };
  }
  if (kx === "ECDHE" || kx === "ECDHE-PSK") {
    const curveType = body[o];
    if (curveType === 3) return groupOf(body.readUInt16BE(o + 1));
    return { kind: "ecdh", name: curveType === 1 ? "explicit-prime" : "explicit-char2", bits: 0 };
  }
  if (kx === "RSA") {
    const mlen = body.readUInt16BE(0);
    let m = body.subarray(2, 2 + mlen);
    while (m.length && m[0] === 0) m = m.subarray(1);
    const bits = m.length ? (m.length - 1) * 8 + (32 - Math.clz32(m[0])) : 0;
    return { kind: "rsa-export", name: `RSA ${bits}`, bits };
  }
  return undefined;
}

/** Send one ClientHello and read only as far as the answer needs: ServerHello, HelloRetryRequest, alert, and for TLS ≤ 1.2 ephemeral suites the ServerKeyExchange. */
export async function probeHello(wire: Wire, spec: HelloSpec): Promise<HelloOutcome> {
  const hello = buildClientHello(spec);
  const sent = await wire.write(hello);
  // The peer was gone before it had the hello: no answer to it at all.
  if (sent) return { kind: "lost", reason: `${sent} before the ClientHello was sent` };
  const reader = new HandshakeReader(wire);
  const first = await reader.next();
  if (isOutcome(first)) return first;
  if (first.type !== 2)
    return { kind: "broken", reason: `expected ServerHello, got handshake message ${first.type}` };
  let sh: ParsedServerHello;
  try {
    sh = parseServerHello(first.body);
  } catch (err) {
    return { kind: "broken", reason: (err as Error).message };
  }
  if (!spec.suites.includes(sh.suite)) {
    return {
      kind: "broken",
      reason: `server chose cipher suite 0x${sh.suite.toString(16).padStart(4, "0")} that was not offered`,
    };
  }
  if (sh.version === 0x0304) {
    return {
      kind: "accepted",
      version: sh.version,
      suite: sh.suite,
      hrr: sh.hrr,
      group: sh.keyShareGroup !== undefined ? groupOf(sh.keyShareGroup) : undefined,
    };
  }
  const suite = suiteByCode(sh.suite);
  const needsKx =
    ["DHE", "ECDHE", "DHE-PSK", "ECDHE-PSK"].includes(suite.kx) || (suite.export && suite.kx === "RSA");
  if (!needsKx || sh.version !== PROTOCOL_WIRE[spec.protocol])
    return { kind: "accepted", version: sh.version, suite: sh.suite, hrr: false };
  for (;;) {
    const msg = await reader.next();
    if (isOutcome(msg)) {
      const why = msg.kind === "accepted" ? "unexpected" : msg.reason;
      return {
        kind: "accepted",
        version: sh.version,
        suite: sh.suite,
        hrr: false,
        kxMissing: `no ServerKeyExchange: ${why}`,
      };
    }
    if (msg.type === 12) {
      try {
        return {
          kind: "accepted",
          version: sh.version,
          suite: sh.suite,
          hrr: false,
          group: parseServerKeyExchange(msg.body, suite.kx),
        };
      } catch {
        return {
          kind: "accepted",
          version: sh.version,
          suite: sh.suite,
          hrr: false,
          kxMissing: "ServerKeyExchange could not be parsed",
        };
      }
    }
    if (msg.type === 14) {
      return {
        kind: "accepted",
        version: sh.version,
        suite: sh.suite,
        hrr: false,
        kxMissing: "ServerHelloDone without ServerKeyExchange",
      };
    }
  }
}

/**
 * An SSLv2 CLIENT-HELLO (SSL 2.0 specification, two-byte record header) offering the given three-byte cipher kinds,
 * no session id and a 16-byte challenge.
 */
export function buildSsl2ClientHello(kinds: number[]): Buffer {
  const specs = Buffer.concat(kinds.map((k) => Buffer.from([(k >> 16) & 0xff, (k >> 8) & 0xff, k & 0xff])));
  const challenge = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) challenge[i] = Math.floor(Math.random() * 256);
  const body = Buffer.concat([
    u8(1),
    u16(0x0002),
    u16(specs.length),
    u16(0),
    u16(challenge.length),
    specs,
    challenge,
  ]);
  return Buffer.concat([u16(0x8000 | body.length), body]);
}

/** What an SSLv2 SERVER-HELLO carries that the scan uses (exported for tests). */
export interface Ssl2ServerHello {
  version: number;
  kinds: number[];
  certificateBytes: number;
}

/** Parse an SSLv2 SERVER-HELLO message (message type 4 first); throws on malformed input. */
export function parseSsl2ServerHello(msg: Buffer): Ssl2ServerHello {
  if (msg.length < 11 || msg[0] !== 4) throw new Error("SSLv2 SERVER-HELLO truncated");
  const version = msg.readUInt16BE(3);
  const certLen = msg.readUInt16BE(5);
  const specsLen = msg.readUInt16BE(7);
  const idLen = msg.readUInt16BE(9);
  if (specsLen % 3 !== 0 || 11 + certLen + specsLen + idLen > msg.length)
    throw new Error("SSLv2 SERVER-HELLO lengths do not add up");
  const kinds: number[] = [];
  for (let o = 11 + certLen; o < 11 + certLen + specsLen; o += 3) kinds.push(msg.readUIntBE(o, 3));
  return { version, kinds, certificateBytes: certLen };
}

/**
 * Send an SSLv2 CLIENT-HELLO and classify the answer. A SERVER-HELLO means the server speaks SSLv2 — even with an
 * empty cipher list, since CVE-2015-3197 let clients use ciphers such a server claims to have disabled. An SSLv2
 * ERROR, a TLS alert or any other non-SSLv2 reply is a refusal; a clean close is a refusal by close. A reset, a
 * failed socket, a silent server or a reply cut short is no evidence (`lost`): none of them shows SSLv2 is off. The
 * probe never returns `broken`, because a TLS-only server has every right not to understand SSLv2.
 */
export async function probeSsl2Hello(wire: Wire, kinds: number[]): Promise<HelloOutcome> {
  const sent = await wire.write(buildSsl2ClientHello(kinds));
  if (sent) return { kind: "lost", reason: `${sent} before the SSLv2 CLIENT-HELLO was sent` };
  try {
    const head = await wire.read(2);
    if (head.eof) {
      if (head.data.length) return { kind: "lost", reason: "reply cut short after one byte" };
      return head.cause === "fin"
        ? { kind: "rejected", reason: head.reason ?? "connection closed without an answer", by: "close" }
        : { kind: "lost", reason: head.reason ?? "connection closed" };
    }
    const [b0, b1] = head.data;
    // A TLS record (alert, handshake) answers in TLS: the server does not speak SSLv2.
    if (b1 === 3 && (b0 === CT_ALERT || b0 === CT_HANDSHAKE)) {
      const rest = await wire.peekRest(5);
      const alert = b0 === CT_ALERT && rest.length >= 5 ? rest[4] : undefined;
      return {
        kind: "rejected",
        reason:
          alert !== undefined
            ? `answered with TLS alert ${ALERTS[alert] ?? "unknown"}(${alert}), not SSLv2`
            : "answered in TLS, not SSLv2",
        by: b0 === CT_ALERT ? "alert" : "reply",
      };
    }
    // An SSLv2 answer in the clear has a two-byte record header (high bit set: no padding before keys exist) and
    // starts with ERROR (0) or SERVER-HELLO (4). Anything else is not SSLv2, so it is looked at before waiting for the
    // length the header would announce.
    const first = b0 & 0x80 ? await wire.read(1) : undefined;
    if (!first || first.eof || (first.data[0] !== 0 && first.data[0] !== 4)) {
      if (first?.eof && first.cause !== "fin")
        return { kind: "lost", reason: first.reason ?? "connection closed" };
      const more = await wire.peekRest(21);
      return {
        kind: "rejected",
        reason: `no SSLv2 answer: ${preview(Buffer.concat([head.data, first?.data ?? Buffer.alloc(0), more]))}`,
        by: "reply",
      };
    }
    const length = ((b0 & 0x7f) << 8) | b1;
    const rest = await wire.read(Math.max(0, length - 1));
    if (rest.eof) return { kind: "lost", reason: "SSLv2 record cut short" };
    const msg = Buffer.concat([first.data, rest.data]);
    if (msg[0] === 0 && msg.length >= 3) {
      const code = msg.readUInt16BE(1);
      const names: Record<number, string> = {
        1: "NO-CIPHER",
        2: "NO-CERTIFICATE",
        4: "BAD-CERTIFICATE",
        6: "UNSUPPORTED-CERTIFICATE-TYPE",
      };
      return {
        kind: "rejected",
        reason: `SSLv2 ERROR ${names[code] ?? `0x${code.toString(16)}`}`,
        by: "alert",
      };
    }
    if (msg[0] !== 4) return { kind: "lost", reason: `unexpected SSLv2 message type ${msg[0]}` };
    let hello: Ssl2ServerHello;
    try {
      hello = parseSsl2ServerHello(msg);
    } catch (err) {
      return { kind: "lost", reason: (err as Error).message };
    }
    return {
      kind: "accepted",
      version: 0x0002,
      suite: hello.kinds[0] ?? 0,
      hrr: false,
      ssl2Suites: hello.kinds,
    };
  } catch (err) {
    if (err instanceof WireTimeout)
      return { kind: "lost", reason: `${err.message} to an SSLv2 CLIENT-HELLO`, final: true };
    throw err;
  }
}
