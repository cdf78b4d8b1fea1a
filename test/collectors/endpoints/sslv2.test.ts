import { X509Certificate } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SSL2_CIPHERS, suitesFor } from "../../../src/collectors/endpoints/cipher-suites.js";
import { collectEndpoints, parseTarget } from "../../../src/collectors/endpoints/index.js";
import { buildSsl2ClientHello, parseSsl2ServerHello } from "../../../src/collectors/endpoints/tls-wire.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import type { ResourceDocument } from "../../../src/core/types.js";
import { endpointPolicies, Fleet, forwardTo, need, Pki, tempDir } from "./support.js";

// SSLv2 (DROWN, CVE-2016-0800): no OpenSSL that Debian ships still speaks it, so an "SSLv2 + TLS 1.2" server is a
// front in Node that answers SSLv2 CLIENT-HELLOs itself with a SERVER-HELLO in the SSL 2.0 record format (carrying a
// real certificate) and hands every other connection to a real `openssl s_server` that allows only TLS 1.2 and 1.3 —
// the configuration that was common in 2015: SSLv3 switched off for POODLE, SSLv2 forgotten.

const ready = [need("openssl")].every(Boolean);
const TIMEOUT = 1500;

const RC4_128 = 0x010080;
const DES_192_EDE3 = 0x0700c0;

/** An SSLv2 SERVER-HELLO record (two-byte header) with a certificate and the given cipher kinds. */
function serverHello(cert: Buffer, kinds: number[]): Buffer {
  const specs = Buffer.concat(kinds.map((k) => Buffer.from([k >> 16, (k >> 8) & 0xff, k & 0xff])));
  const connectionId = Buffer.alloc(16, 0x5a);
  const head = Buffer.alloc(11);
  head[0] = 4; // SERVER-HELLO
  head[1] = 0; // session-id hit
  head[2] = 1; // certificate type: X.509
  head.writeUInt16BE(0x0002, 3);
  head.writeUInt16BE(cert.length, 5);
  head.writeUInt16BE(specs.length, 7);
  head.writeUInt16BE(connectionId.length, 9);
  const body = Buffer.concat([head, cert, specs, connectionId]);
  const rec = Buffer.alloc(2);
  rec.writeUInt16BE(0x8000 | body.length);
  return Buffer.concat([rec, body]);
}

/** What the front does with an SSLv2 CLIENT-HELLO. */
type Ssl2Answer = { hello: number[] } | { error: number } | "reset" | "silent" | "fin" | { raw: Buffer };

const isSsl2Hello = (d: Buffer) => d.length >= 3 && (d[0] & 0x80) !== 0 && d[2] === 1;

describe.skipIf(!ready)("SSLv2: a server that still answers SSLv2 CLIENT-HELLOs", () => {
  const fleet = new Fleet();
  let pki: Pki;
  let backend: number;
  let certDer: Buffer;
  const ssl2Seen: number[] = [];

  /** A front on its own port: SSLv2 hellos get `answer`; everything else goes to the TLS 1.2/1.3-only backend. */
  const front = (answer: Ssl2Answer): Promise<number> =>
    fleet.tcp((s: Socket) => {
      s.on("error", () => {});
      s.once("data", (d: Buffer) => {
        if (!isSsl2Hello(d)) {
          forwardTo(backend, s, d);
          return;
        }
        ssl2Seen.push(d.length);
        if (answer === "reset") s.resetAndDestroy();
        else if (answer === "fin") s.end();
        else if (answer === "silent") return;
        else if ("hello" in answer) s.write(serverHello(certDer, answer.hello));
        else if ("error" in answer) s.end(Buffer.from([0x80, 3, 0, answer.error >> 8, answer.error & 0xff]));
        else s.end(answer.raw);
      });
    });

  const scan = async (port: number): Promise<ResourceDocument> => {
    const t = parseTarget(`127.0.0.1:${port}`, { sni: "localhost", hostname: "localhost" });
    const r = await collectEndpoints([t], {
      caFile: pki.ca,
      readTimeoutMs: TIMEOUT,
      connectTimeoutMs: TIMEOUT,
    });
    return r.resources.find((d) => d.type === "endpoint.tls") as ResourceDocument;
  };
  const status = (doc: ResourceDocument, policyId: string) =>
    evaluate([doc], endpointPolicies(), { now: new Date() }).findings.find((f) => f.policyId === policyId)
      ?.status;

  beforeAll(async () => {
    const dir = tempDir("cipherproof-sslv2-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    pki = new Pki(dir);
    const leaf = pki.leaf();
    certDer = Buffer.from(new X509Certificate(readFileSync(leaf.cert)).raw);
    backend = await fleet.sServer(["-no_ssl3", "-no_tls1", "-no_tls1_1"], leaf);
  }, 60_000);
  afterAll(() => fleet.stop());

  it("the TLS 1.2/1.3 server alone refuses SSLv2 (OpenSSL 3 answers with a TLS alert) and passes the minimum-version policy", async () => {
    const doc = await scan(backend);
    expect(doc.properties.protocols).toEqual(["TLSv1.2", "TLSv1.3"]);
    expect(doc.properties.minProtocolVersion).toBe(1.2);
    expect(doc.missing ?? {}).not.toHaveProperty("protocols");
    expect(status(doc, "endpoint-tls-protocol-min-tls12")).toBe("pass");
  });

  it("an SSLv2 SERVER-HELLO puts SSLv2 in the protocol list and its cipher kinds in the suite lists: both policies fail", async () => {
    const before = ssl2Seen.length;
    const doc = await scan(await front({ hello: [RC4_128, DES_192_EDE3] }));
    expect(ssl2Seen.length).toBe(before + 1); // one CLIENT-HELLO, answered at once
    expect(doc.properties.protocols).toEqual(["SSLv2", "TLSv1.2", "TLSv1.3"]);
    expect(doc.properties.minProtocolVersion).toBe(0.2);
    expect(doc.properties.weakCipherSuites).toEqual([
      "SSL_CK_RC4_128_WITH_MD5",
      "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
    ]);
    const suites = doc.properties.cipherSuites as Array<Record<string, unknown>>;
    expect(suites.filter((s) => s.protocol === "SSLv2")).toEqual([
      expect.objectContaining({ code: "0x010080", openssl: "RC4-MD5", mac: "MD5", strength: "insecure" }),
      expect.objectContaining({
        code: "0x0700C0",
        openssl: "DES-CBC3-MD5",
        encBits: 112,
        strength: "insecure",
      }),
    ]);
    expect(doc.properties.allSuitesForwardSecret).toBe(false);
    expect(status(doc, "endpoint-tls-protocol-min-tls12")).toBe("fail");
    expect(status(doc, "endpoint-tls-no-weak-cipher-suites")).toBe("fail");
    // The certificate still comes from the TLS handshake.
    expect(doc.properties.certificateTrusted).toBe(true);
  });

  it("a SERVER-HELLO that lists no cipher still means SSLv2 is on (CVE-2015-3197)", async () => {
    const doc = await scan(await front({ hello: [] }));
    expect(doc.properties.protocols).toEqual(["SSLv2", "TLSv1.2", "TLSv1.3"]);
    expect(doc.properties.minProtocolVersion).toBe(0.2);
    expect(status(doc, "endpoint-tls-protocol-min-tls12")).toBe("fail");
  });

  it("an SSLv2 ERROR (NO-CIPHER), a TLS alert, other bytes or a clean close are refusals: the policy passes", async () => {
    const alert = Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]);
    for (const answer of [
      // Not SSLv2 although its first byte could start an SSLv2 record header: judged at once, not waited for.
      { raw: Buffer.from("421 Service not available\r\n") },
      { raw: Buffer.from([0x80, 0x40, 0x09, 0x01, 0x02]) },
      { error: 1 },
      { raw: alert },
      { raw: Buffer.from("HTTP/1.0 400 Bad Request\r\n\r\n") },
      "fin",
    ] as const) {
      const doc = await scan(await front(answer));
      expect(doc.properties.protocols, JSON.stringify(answer)).toEqual(["TLSv1.2", "TLSv1.3"]);
      expect(status(doc, "endpoint-tls-protocol-min-tls12"), JSON.stringify(answer)).toBe("pass");
    }
  });

  it("SSLv2 hellos reset every time, or never answered: the minimum version is unknown and the policy errors, not passes", async () => {
    for (const answer of ["reset", "silent"] as const) {
      const before = ssl2Seen.length;
      const doc = await scan(await front(answer));
      // A reset is retried, as every lost probe is; silence already waited out the whole timeout, so it is not.
      expect(ssl2Seen.length - before, answer).toBe(answer === "reset" ? 3 : 1);
      expect(doc.properties, answer).not.toHaveProperty("minProtocolVersion");
      expect(doc.missing?.minProtocolVersion, answer).toMatch(
        answer === "reset"
          ? /ClientHello for SSLv2: connection reset by peer on each of 3 attempts/
          : /ClientHello for SSLv2: no answer within 1500 ms .* to an SSLv2 CLIENT-HELLO — silence is not a refusal/,
      );
      // The suite lists could hold SSLv2 kinds, so they are unknown too; what SSLv2 cannot change still stands.
      expect(doc.missing?.weakCipherSuites, answer).toBeDefined();
      for (const p of ["keyExchangeGroups", "ecdhMinBits", "dhMinBits", "serverCipherPreference"])
        expect(doc.properties, `${answer}: ${p}`).toHaveProperty(p);
      expect(doc.properties.certificateTrusted, answer).toBe(true); // the rest of the scan stands
      expect(status(doc, "endpoint-tls-protocol-min-tls12"), answer).toBe("error");
    }
  }, 30_000);
});

describe("SSLv2 wire format", () => {
  it("the CLIENT-HELLO has a two-byte header, version 2, all ten cipher kinds, no session id and a 16-byte challenge", () => {
    const kinds = suitesFor("SSLv2").map((s) => s.code);
    expect(kinds).toHaveLength(10);
    const h = buildSsl2ClientHello(kinds);
    expect(h[0] & 0x80).toBe(0x80);
    expect(h.readUInt16BE(0) & 0x7fff).toBe(h.length - 2);
    expect(h[2]).toBe(1); // CLIENT-HELLO
    expect(h.readUInt16BE(3)).toBe(0x0002);
    expect(h.readUInt16BE(5)).toBe(30); // cipher-specs length: 10 × 3
    expect(h.readUInt16BE(7)).toBe(0); // session id
    expect(h.readUInt16BE(9)).toBe(16); // challenge
    expect(h.readUIntBE(11, 3)).toBe(RC4_128);
    expect(h.length).toBe(11 + 30 + 16);
  });

  it("parses a SERVER-HELLO's cipher kinds and rejects lengths that do not add up", () => {
    const rec = serverHello(Buffer.alloc(40, 1), [RC4_128, 0x060040]);
    const msg = rec.subarray(2);
    expect(parseSsl2ServerHello(msg)).toEqual({
      version: 2,
      kinds: [RC4_128, 0x060040],
      certificateBytes: 40,
    });
    const bad = Buffer.from(msg);
    bad.writeUInt16BE(4, 7); // cipher-specs length not a multiple of 3
    expect(() => parseSsl2ServerHello(bad)).toThrow(/do not add up/);
    expect(() => parseSsl2ServerHello(msg.subarray(0, 8))).toThrow(/truncated/);
  });

  it("every SSLv2 cipher kind is insecure and named as the SSL 2.0 specification names it", () => {
    for (const s of SSL2_CIPHERS.values()) {
      expect(s.iana).toMatch(/^SSL_CK_.*_WITH_(MD5|SHA)$/);
      expect(s.strength).toBe("insecure");
      expect(s.weaknesses.length).toBeGreaterThan(0);
      if (s.mac === "MD5") expect(s.weaknesses).toContain("MD5");
      expect(s.minProtocol).toBe("SSLv2");
    }
  });
});
