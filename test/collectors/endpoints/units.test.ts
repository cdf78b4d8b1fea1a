import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lifetimeDays, signatureAlgorithm, worseOf } from "../../../src/collectors/endpoints/certificate.js";
import type { Protocol } from "../../../src/collectors/endpoints/cipher-suites.js";
import { CIPHER_SUITES, describeSuite, suitesFor } from "../../../src/collectors/endpoints/cipher-suites.js";
import { parseHsts } from "../../../src/collectors/endpoints/http.js";
import { tlsProperties } from "../../../src/collectors/endpoints/index.js";
import { HostLimiter, mapLimit, openTcp } from "../../../src/collectors/endpoints/net.js";
import { loadTargetsFile, parseTarget, resolveTargets } from "../../../src/collectors/endpoints/targets.js";
import { failedScan, scanTls } from "../../../src/collectors/endpoints/tls-probe.js";
import {
  buildClientHello,
  parseServerHello,
  parseServerKeyExchange,
} from "../../../src/collectors/endpoints/tls-wire.js";
import { isCipherproofError } from "../../../src/core/errors.js";

describe("cipher-suite registry", () => {
  it("derives key exchange, auth, cipher, MAC and strength from IANA names", () => {
    expect(
      describeSuite(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"),
    ).toMatchObject({
      kx: "ECDHE",
      auth: "RSA",
      enc: "AES_128_GCM",
      encBits: 128,
      mac: "AEAD",
      forwardSecret: true,
      strength: "strong",
      minProtocol: "TLSv1.2",
      weaknesses: [],
    });
    expect(CIPHER_SUITES.get(0x000a)).toMatchObject({
      openssl: "DES-CBC3-SHA",
      encBits: 112,
      weaknesses: ["3DES"],
      strength: "insecure",
      forwardSecret: false,
    });
    expect(CIPHER_SUITES.get(0x0003)).toMatchObject({ export: true, weaknesses: ["export", "RC4", "MD5"] });
    expect(CIPHER_SUITES.get(0x0034)).toMatchObject({ auth: "anon", weaknesses: ["anonymous"] });
    expect(CIPHER_SUITES.get(0x0002)).toMatchObject({ enc: "NULL", weaknesses: ["NULL"] });
    expect(CIPHER_SUITES.get(0x002f)).toMatchObject({
      strength: "weak",
      forwardSecret: false,
      minProtocol: "SSLv3",
    });
    expect(CIPHER_SUITES.get(0x1301)).toMatchObject({ tls13: true, forwardSecret: true, strength: "strong" });
    expect(CIPHER_SUITES.get(0xc0ab)).toMatchObject({ kx: "DHE-PSK", mac: "AEAD" });
    // Kerberos suites (RFC 2712), export ones with 40-bit DES keys.
    expect(CIPHER_SUITES.get(0x0026)).toMatchObject({
      kx: "KRB5",
      enc: "DES_CBC_40",
      encBits: 40,
      export: true,
      weaknesses: ["export", "DES"],
      strength: "insecure",
    });
    expect(CIPHER_SUITES.get(0x001f)).toMatchObject({ kx: "KRB5", encBits: 112, weaknesses: ["3DES"] });
  });

  it("has unique IANA and OpenSSL names and offers version-appropriate suites", () => {
    const all = [...CIPHER_SUITES.values()];
    expect(all.length).toBeGreaterThan(240);
    expect(new Set(all.map((s) => s.iana)).size).toBe(all.length);
    expect(new Set(all.map((s) => s.openssl)).size).toBe(all.length);
    expect(suitesFor("TLSv1.3").map((s) => s.code)).toEqual([0x1301, 0x1302, 0x1303, 0x1304, 0x1305]);
    expect(suitesFor("TLSv1.0").some((s) => s.aead)).toBe(false);
    expect(suitesFor("TLSv1.2").some((s) => s.tls13)).toBe(false);
  });
});

describe("ClientHello and ServerHello wire format", () => {
  it("builds a TLS 1.3 ClientHello with supported_versions, key_share and SNI", () => {
    const b = buildClientHello({ protocol: "TLSv1.3", suites: [0x1301, 0x1302], sni: "example.test" });
    expect(b[0]).toBe(22);
    expect(b.readUInt16BE(3)).toBe(b.length - 5);
    expect(b[5]).toBe(1);
    expect(b.readUInt16BE(9)).toBe(0x0303);
    const hex = b.toString("hex");
    expect(hex).toContain("002b0003020304"); // supported_versions: TLS 1.3 only
    expect(hex).toContain(Buffer.from("example.test").toString("hex"));
    expect(hex).toContain("0033006b0069001d0020"); // key_share: x25519 (32 bytes) then secp256r1 (65 bytes)
  });

  it("never sends TLS_FALLBACK_SCSV, sends no SNI for IP addresses, pads out of the 256-511 byte range", () => {
    for (const protocol of ["SSLv3", "TLSv1.0", "TLSv1.2"] as const) {
      const b = buildClientHello({
        protocol,
        suites: suitesFor(protocol).map((s) => s.code),
        sni: "127.0.0.1",
      });
      const sidLen = b[5 + 4 + 2 + 32];
      const at = 5 + 4 + 2 + 32 + 1 + sidLen;
      const n = b.readUInt16BE(at) / 2;
      const codes = Array.from({ length: n }, (_, i) => b.readUInt16BE(at + 2 + i * 2));
      expect(codes).not.toContain(0x5600);
      expect(codes).toContain(0x00ff);
      expect(b.includes(Buffer.from("127.0.0.1"))).toBe(false);
      const hsLen = b.length - 5;
      // SSLv3 hellos carry no extensions, so only TLS hellos can be padded.
      if (protocol !== "SSLv3") expect(hsLen < 256 || hsLen >= 512).toBe(true);
    }
    expect(buildClientHello({ protocol: "SSLv3", suites: [0x002f] }).readUInt16BE(1)).toBe(0x0300);
  });

  it("parses ServerHello, HelloRetryRequest and ServerKeyExchange parameters", () => {
    const random = Buffer.alloc(32, 7);
    const sh = Buffer.concat([
      Buffer.from([3, 3]),
      random,
      Buffer.from([0]),
      Buffer.from([0xc0, 0x2f, 0]),
      Buffer.from([0, 0]),
    ]);
    expect(parseServerHello(sh)).toMatchObject({ version: 0x0303, suite: 0xc02f, hrr: false });
    const hrrRandom = Buffer.from("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c", "hex");
    const exts = Buffer.from([0x00, 0x2b, 0, 2, 3, 4, 0x00, 0x33, 0, 2, 0x00, 0x17]);
    const hrr = Buffer.concat([
      Buffer.from([3, 3]),
      hrrRandom,
      Buffer.from([0, 0x13, 0x01, 0]),
      Buffer.from([0, exts.length]),
      exts,
    ]);
    expect(parseServerHello(hrr)).toMatchObject({
      version: 0x0304,
      suite: 0x1301,
      hrr: true,
      keyShareGroup: 0x0017,
    });
    const p = Buffer.concat([Buffer.from([0x80]), Buffer.alloc(127, 1)]); // a 1024-bit prime-sized value
    expect(
      parseServerKeyExchange(Buffer.concat([Buffer.from([0, 128]), p, Buffer.from([0, 1, 2])]), "DHE"),
    ).toMatchObject({ kind: "dh", bits: 1024 });
    expect(parseServerKeyExchange(Buffer.from([3, 0, 0x1d, 32]), "ECDHE")).toMatchObject({
      kind: "ecdh",
      name: "x25519",
      bits: 256,
    });
    expect(parseServerKeyExchange(Buffer.from([0, 0, 3, 0, 0x17]), "ECDHE-PSK")).toMatchObject({
      name: "secp256r1",
    });
  });
});

/** A scripted TLS server: answers each ClientHello with a ServerHello for the first offered suite it "supports". */
function scripted(
  supported: number[],
  version: number,
  opts: { chooseUnoffered?: boolean } = {},
): Promise<{ port: number; server: Server }> {
  const server = createServer((s) => {
    s.on("error", () => {});
    let buf = Buffer.alloc(0);
    s.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      // An SSLv2 CLIENT-HELLO gets what OpenSSL 3 sends: a protocol_version alert.
      if (buf[0] & 0x80) return s.end(Buffer.from([21, 3, 1, 0, 2, 2, 70]));
      if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
      const offeredVersion = buf.readUInt16BE(9);
      const sidLen = buf[43];
      const at = 44 + sidLen;
      const n = buf.readUInt16BE(at) / 2;
      const offered = Array.from({ length: n }, (_, i) => buf.readUInt16BE(at + 2 + i * 2));
      const pick = opts.chooseUnoffered ? 0x0004 : supported.find((c) => offered.includes(c));
      if (pick === undefined || offeredVersion < version || offered.includes(0x1301)) {
        s.end(Buffer.from([21, 3, 1, 0, 2, 2, 40]));
        return;
      }
      const body = Buffer.concat([
        Buffer.from([version >> 8, version & 0xff]),
        Buffer.alloc(32, 9),
        Buffer.from([0, pick >> 8, pick & 0xff, 0]),
      ]);
      const hs = Buffer.concat([Buffer.from([2, 0, 0, body.length]), body]);
      s.end(Buffer.concat([Buffer.from([22, 3, 1, 0, hs.length]), hs]));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ port: (server.address() as { port: number }).port, server }),
    ),
  );
}

describe("protocol and suite enumeration (scripted server)", () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
  });
  const limiter = new HostLimiter(2, 0);
  const run = async (port: number) =>
    scanTls(
      () => openTcp("127.0.0.1", port, { connectTimeoutMs: 2000, readTimeoutMs: 2000 }),
      (fn) => limiter.run("127.0.0.1", fn),
      null,
    );

  it("finds suites the local OpenSSL cannot offer (3DES, RC4, export) with accepted + 1 handshakes per version", async () => {
    const { port, server } = await scripted([0x0003, 0x000a, 0x0005], 0x0301);
    servers.push(server);
    const r = await run(port);
    expect(r.error).toBeUndefined();
    expect(r.protocols).toEqual(["TLSv1.0"]);
    expect(r.suites.map((s) => s.iana).sort()).toEqual([
      "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
      "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
      "TLS_RSA_WITH_RC4_128_SHA",
    ]);
    expect(r.serverPreference["TLSv1.0"]).toBe(true);
    // TLS 1.0: 3 accepted + 1 rejected + 1 preference; the other five versions (SSLv2 included): 1 each.
    expect(r.handshakes).toBe(3 + 1 + 1 + 5);
  });

  it("a server choosing a suite that was never offered is an error, not an accepted suite", async () => {
    const { port, server } = await scripted([], 0x0303, { chooseUnoffered: true });
    servers.push(server);
    const r = await run(port);
    expect(r.error).toMatch(/not offered/);
    expect(r.suites).toEqual([]);
  });
});

describe("targets", () => {
  it("normalizes every target form", () => {
    expect(parseTarget("https://Example.test")).toMatchObject({
      id: "https://example.test:443",
      kind: "https",
      port: 443,
      sni: "example.test",
      hostname: "Example.test".toLowerCase() === "example.test" ? "example.test" : "",
    });
    expect(parseTarget("db.test:5433")).toMatchObject({ id: "tls://db.test:5433", kind: "tls" });
    expect(parseTarget("postgres://db.test/orders?user=app")).toMatchObject({
      id: "postgres://db.test:5432/orders#user=app",
      database: "orders",
      user: "app",
    });
    expect(parseTarget("smtp://mx.test:587")).toMatchObject({ kind: "smtp", port: 587 });
    expect(parseTarget("http://web.test")).toMatchObject({ id: "http://web.test:80", kind: "http" });
    expect(parseTarget("https://10.0.0.5:8443", { hostname: "api.test" })).toMatchObject({
      sni: null,
      hostname: "api.test",
    });
    expect(parseTarget("[::1]:443")).toMatchObject({ host: "::1", id: "tls://[::1]:443" });
  });

  it("rejects bad targets with a usage error and credentials in URLs", () => {
    for (const bad of ["example.test", "ftp://x.test", "https://user:pw@x.test", "x.test:99999", ""]) {
      let caught: unknown;
      try {
        parseTarget(bad);
      } catch (err) {
        caught = err;
      }
      expect(isCipherproofError(caught), bad).toBe(true);
      expect(String((caught as Error).message)).not.toContain("pw");
    }
  });

  it("refuses what a target's probe would silently ignore: a path on tls:// or smtp://, a repeated user", () => {
    for (const [target, message] of [
      ["tls://db.test:443/x", /a tls:\/\/ target has no path or query/],
      ["smtp://mx.test:25/inbox", /a smtp:\/\/ target has no path or query/],
      ["smtp://mx.test:25?x=1", /a smtp:\/\/ target has no path or query/],
      ["postgres://db.test/orders?user=a&user=b", /"user" is given more than once/],
    ] as const) {
      expect(() => parseTarget(target), target).toThrow(message);
    }
    expect(parseTarget("tls://db.test:443/")).toMatchObject({ id: "tls://db.test:443" });
  });

  it("refuses secrets in query parameters without echoing their values", () => {
    const refused = (target: string): string => {
      try {
        parseTarget(target);
      } catch (err) {
        expect(isCipherproofError(err), target).toBe(true);
        expect((err as { code: string }).code, target).toBe("USAGE");
        return (err as Error).message;
      }
      throw new Error(`${target} was accepted`);
    };
    for (const [target, param] of [
      ["postgres://db.test:5432/db?user=app&password=hunter2", "password"],
      ["postgres://db.test/db?passfile=hunter2", "passfile"],
      ["postgresql://db.test/db?options=hunter2", "options"],
      ["https://api.test/x?token=hunter2", "token"],
      ["https://api.test/?a=1&API_KEY=hunter2", "API_KEY"],
      ["https://api.test/?X-Amz-Signature=hunter2", "X-Amz-Signature"],
      ["https://api.test/?accessToken=hunter2", "accessToken"],
      ["http://api.test/?pwd=hunter2", "pwd"],
      ["https://api.test/?sig=hunter2", "sig"],
      ["https://api.test/?client_secret=hunter2", "client_secret"],
      ["https://api.test/?auth=hunter2", "auth"],
      ["https://api.test/?credential=hunter2", "credential"],
      ["https://api.test/?pass=hunter2", "pass"],
      ["https://api.test/?key=hunter2", "key"],
      ["https://api.test/#access_token=hunter2", "fragment"],
      ["ftp://x.test/?password=hunter2", "ftp"],
      ["https://a:hunter2@x.test/?password=hunter2", "credentials"],
    ]) {
      const message = refused(target);
      expect(message, target).toContain(param);
      expect(message, target).not.toContain("hunter2");
    }
    // Ordinary parameters stay part of the path; postgres takes user and sslmode.
    expect(parseTarget("https://api.test/health?format=json&design=1")).toMatchObject({
      id: "https://api.test:443/health?format=json&design=1",
    });
    expect(parseTarget("postgres://db.test/db?user=app&sslmode=require")).toMatchObject({
      user: "app",
      name: "postgres://db.test/db?user=app&sslmode=require",
    });
  });

  it("keeps targets apart by SNI, expected host name and PostgreSQL user, and names them in the id", () => {
    const got = resolveTargets([
      "10.0.0.5:443",
      "https://10.0.0.5",
      "https://10.0.0.5:443",
      "postgres://db.test/app",
      "postgres://db.test/app?user=postgres",
      "postgres://db.test/app?user=reporting",
    ]);
    expect(got.map((t) => t.id)).toEqual([
      "tls://10.0.0.5:443",
      "https://10.0.0.5:443",
      "postgres://db.test:5432/app",
      "postgres://db.test:5432/app#user=reporting",
    ]);
    const dir = mkdtempSync(join(tmpdir(), "cipherproof-targets-"));
    try {
      writeFileSync(
        join(dir, "vhosts.yaml"),
        [
          "- target: 10.0.0.5:443",
          "  sni: a.example.test",
          "  hostname: a.example.test",
          "- target: 10.0.0.5:443",
          "  sni: b.example.test",
          "  hostname: b.example.test",
          "- target: 10.0.0.5:443",
          "  sni: b.example.test",
          "  hostname: b.example.test",
          "- target: 10.0.0.5:443",
          "  hostname: b.example.test",
          "- target: https://b.example.test",
          "  sni: null",
          "- https://B.example.test",
        ].join("\n"),
      );
      expect(resolveTargets([join(dir, "vhosts.yaml")]).map((t) => [t.id, t.sni, t.hostname])).toEqual([
        ["tls://10.0.0.5:443#sni=a.example.test&hostname=a.example.test", "a.example.test", "a.example.test"],
        ["tls://10.0.0.5:443#sni=b.example.test&hostname=b.example.test", "b.example.test", "b.example.test"],
        ["tls://10.0.0.5:443#hostname=b.example.test", null, "b.example.test"],
        ["https://b.example.test:443#sni=", null, "b.example.test"],
        ["https://b.example.test:443", "B.example.test".toLowerCase(), "b.example.test"],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says an endpoints file is not found instead of asking for a port", () => {
    for (const arg of ["nosuchfile.yaml", "dir/none.yml", "none.JSON"]) {
      let caught: unknown;
      try {
        resolveTargets([arg]);
      } catch (err) {
        caught = err;
      }
      expect(isCipherproofError(caught), arg).toBe(true);
      expect((caught as { code: string }).code).toBe("FILE_NOT_FOUND");
      expect((caught as Error).message).toMatch(/endpoints file not found/);
      expect((caught as Error).message).not.toMatch(/port/);
    }
  });

  it("reads JSON and YAML endpoints files with per-target SNI and hostname, and reports bad entries by pointer", () => {
    const dir = mkdtempSync(join(tmpdir(), "cipherproof-targets-"));
    try {
      writeFileSync(
        join(dir, "e.yaml"),
        "endpoints:\n  - https://a.test\n  - target: 10.0.0.7:443\n    sni: b.test\n    hostname: b.test\n    name: b\n",
      );
      const got = loadTargetsFile(join(dir, "e.yaml"));
      expect(got.map((t) => [t.id, t.sni, t.hostname, t.name])).toEqual([
        ["https://a.test:443", "a.test", "a.test", "https://a.test"],
        ["tls://10.0.0.7:443#sni=b.test&hostname=b.test", "b.test", "b.test", "b"],
      ]);
      writeFileSync(join(dir, "e.json"), JSON.stringify([{ target: "https://a.test", snii: "x" }]));
      expect(() => loadTargetsFile(join(dir, "e.json"))).toThrow(/unknown field "snii"/);
      writeFileSync(join(dir, "bad.json"), JSON.stringify(["nope"]));
      expect(() => loadTargetsFile(join(dir, "bad.json"))).toThrow(/needs a port/);
      expect(resolveTargets([join(dir, "e.yaml"), "https://a.test"]).length).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("small parsers and limits", () => {
  it("merges the facts of a server's two certificates, each the worse", () => {
    const base = {
      trusted: true,
      trustError: null,
      hostnameMatches: true,
      hostnameError: null,
      subject: "CN=a",
      issuer: "CN=ca",
      subjectAltNames: ["DNS:a"],
      notBefore: "2026-01-01T00:00:00.000Z",
      notAfter: "2026-04-01T00:00:00.000Z",
      daysUntilExpiry: 90,
      lifetimeDays: 90,
      keyType: "EC",
      keyBits: 256,
      keyCurve: "prime256v1",
      signatureAlgorithm: "ecdsa-with-SHA256",
      signatureHash: "sha256",
      ocspStapled: false,
      fingerprintSha256: "AA",
      protocol: "TLSv1.3",
      chainLength: 2,
    };
    const rsa = { ...base, keyType: "RSA", keyBits: 2048, keyCurve: null, fingerprintSha256: "BB" };
    // Equal strength (EC P-256 is stronger): the RSA key is reported, so the RSA key policy judges it.
    expect(worseOf(base, rsa)).toMatchObject({ keyType: "RSA", keyBits: 2048, subject: "CN=a" });
    expect(worseOf(rsa, base)).toMatchObject({ keyType: "RSA", keyBits: 2048 });
    const weak = {
      ...rsa,
      trusted: false,
      trustError: "CERT_HAS_EXPIRED",
      daysUntilExpiry: -3,
      lifetimeDays: 900,
    };
    expect(worseOf(base, { ...weak, signatureHash: "whirlpool" })).toMatchObject({
      trusted: false,
      trustError: "RSA certificate: CERT_HAS_EXPIRED",
      daysUntilExpiry: -3,
      lifetimeDays: 900,
      signatureHash: "whirlpool", // not in the ranking: counted as the weakest
    });
  });

  it("leaves versions out of a limited scan unknown, not refused", () => {
    const scan = { ...failedScan(""), protocols: ["TLSv1.2", "TLSv1.3"] as Protocol[] };
    delete scan.error;
    const full = tlsProperties(scan, { ok: false, reason: "not fetched" });
    expect(full.properties).toMatchObject({ minProtocolVersion: 1.2, tls13Offered: true });
    const limited = tlsProperties(
      { ...scan, unprobed: ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1"] },
      { ok: false, reason: "x" },
    );
    expect(limited.properties).not.toHaveProperty("minProtocolVersion");
    expect(limited.properties).not.toHaveProperty("weakCipherSuites");
    expect(limited.missing.minProtocolVersion).toMatch(
      /SSLv2 was not probed \(the scan was limited to TLSv1.2, TLSv1.3\)/,
    );
    expect(limited.properties.tls13Offered).toBe(true);
  });

  it("counts a certificate's validity from notBefore through notAfter inclusive, any part of a day as a day, as the CA/Browser Forum does", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    const lasting = (ms: number) => lifetimeDays(from, new Date(from.getTime() + ms));
    const DAY = 86_400_000;
    // notBefore through notAfter inclusive (RFC 5280): a notAfter 398 days on is 398 days and one second, over a
    // 398-day limit (it was read as 398, a pass); a 90-day CA ends its certificates one second earlier.
    expect(lasting(398 * DAY)).toBe(399);
    expect(lasting(398 * DAY - 1000)).toBe(398);
    expect(lasting(398 * DAY + 23 * 3_600_000)).toBe(399);
    expect(lasting(90 * DAY - 1000)).toBe(90);
    expect(lasting(90 * DAY)).toBe(91);
  });

  it("parses HSTS headers", () => {
    expect(parseHsts("max-age=31536000; includeSubDomains; preload")).toEqual({
      maxAge: 31536000,
      includeSubDomains: true,
      preload: true,
    });
    expect(parseHsts('max-age="300"')).toMatchObject({ maxAge: 300 });
    expect(parseHsts("includeSubDomains")).toBeNull();
    expect(parseHsts(undefined)).toBeNull();
  });

  it("reads the signature algorithm OID from DER", () => {
    // Certificate ::= SEQUENCE { tbs SEQUENCE {}, SEQUENCE { OID 1.2.840.113549.1.1.5 (sha1WithRSA), NULL }, BIT STRING }
    const der = Buffer.from("3015" + "3000" + "300d06092a864886f70d0101050500" + "03020000", "hex");
    expect(signatureAlgorithm(der)).toEqual({ name: "sha1WithRSAEncryption", hash: "sha1" });
  });

  it("caps connections per host and keeps order in mapLimit", async () => {
    const limiter = new HostLimiter(2, 0);
    let active = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6], 6, (n) =>
      limiter.run("h", async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        return n * 2;
      }),
    );
    expect(out).toEqual([2, 4, 6, 8, 10, 12]);
    expect(peak).toBe(2);
  });
});
