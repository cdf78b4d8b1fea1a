import { readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseHsts } from "../../../src/collectors/endpoints/http.js";
import {
  collectEndpoints,
  type EndpointScanOptions,
  parseTarget,
} from "../../../src/collectors/endpoints/index.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import type { ResourceDocument } from "../../../src/core/types.js";
import { runCliInProcess } from "../../support/cli.js";
import { endpointPolicies, Fleet, forwardTo, need, Pki, tempDir } from "./support.js";

// Servers that misbehave on purpose: resets, bare closes, malformed PostgreSQL replies, HSTS headers a browser must
// ignore. Each must end as `error` (evidence missing, with the reason) or `fail` — never as a pass — and never take
// the other targets of the scan down with it.

const ready = [need("openssl")].every(Boolean);
const TIMEOUT = 2000;
const OPTS: EndpointScanOptions = { readTimeoutMs: TIMEOUT, connectTimeoutMs: TIMEOUT };

/** What a ClientHello asks for: the protocol our prober (or a full TLS client) offers, and the suites. */
function helloInfo(d: Buffer): { protocol: string; suites: number[] } {
  if (d[0] !== 22 || d.length < 48) return { protocol: "other", suites: [] };
  const legacy = d.readUInt16BE(9);
  let o = 43;
  o += 1 + d[o]; // session id
  const nSuites = d.readUInt16BE(o) / 2;
  const suites = Array.from({ length: nSuites }, (_, i) => d.readUInt16BE(o + 2 + i * 2));
  o += 2 + nSuites * 2;
  o += 1 + d[o]; // compression methods
  let versions: number[] | undefined;
  if (o + 2 <= d.length) {
    const end = Math.min(d.length, o + 2 + d.readUInt16BE(o));
    o += 2;
    while (o + 4 <= end) {
      const type = d.readUInt16BE(o);
      const len = d.readUInt16BE(o + 2);
      if (type === 0x002b) {
        versions = [];
        for (let i = 1; i + 1 < 1 + d[o + 4]; i += 2) versions.push(d.readUInt16BE(o + 4 + i));
      }
      o += 4 + len;
    }
  }
  if (versions && versions.length > 1) return { protocol: "client", suites }; // a real TLS stack (the certificate fetch)
  if (versions?.[0] === 0x0304) return { protocol: "TLSv1.3", suites };
  const byLegacy: Record<number, string> = {
    768: "SSLv3",
    769: "TLSv1.0",
    770: "TLSv1.1",
    771: "TLSv1.2",
  };
  return { protocol: byLegacy[legacy] ?? "other", suites };
}

type Verdict = "pass" | "reset" | "fin";

/**
 * A TCP proxy in front of a real server that looks at each ClientHello and, per `rule`, forwards the connection,
 * resets it (TCP RST) or closes it cleanly (FIN) after reading the hello. `n` counts connections; `seen` counts
 * hellos per protocol (1 for the first).
 */
async function helloProxy(
  fleet: Fleet,
  backend: number,
  rule: (h: { protocol: string; suites: number[]; n: number; seen: number }) => Verdict,
): Promise<{ port: number; log: Array<[string, Verdict]> }> {
  let n = 0;
  const seen = new Map<string, number>();
  const log: Array<[string, Verdict]> = [];
  const port = await fleet.tcp((s) => {
    s.on("error", () => {});
    const index = ++n;
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
      s.removeListener("data", onData);
      const info = helloInfo(buf);
      const count = (seen.get(info.protocol) ?? 0) + 1;
      seen.set(info.protocol, count);
      const verdict = rule({ ...info, n: index, seen: count });
      log.push([info.protocol, verdict]);
      if (verdict === "reset") {
        s.resetAndDestroy();
        return;
      }
      if (verdict === "fin") {
        s.end();
        return;
      }
      forwardTo(backend, s, buf);
    };
    s.on("data", onData);
  });
  return { port, log };
}

const tlsDoc = (docs: ResourceDocument[]) => docs.find((d) => d.type === "endpoint.tls")!;
const status = (docs: ResourceDocument[], policyId: string) =>
  evaluate(docs, endpointPolicies(), { now: new Date() }).findings.find((f) => f.policyId === policyId)
    ?.status;

describe.skipIf(!ready)("a reset is not a refusal: TLS probes through a misbehaving proxy", () => {
  const fleet = new Fleet();
  let pki: Pki;
  let backend: number;
  let direct: ResourceDocument;

  const scan = async (port: number, extra: EndpointScanOptions = {}) => {
    const t = parseTarget(`127.0.0.1:${port}`, { sni: "localhost", hostname: "localhost" });
    const r = await collectEndpoints([t], { ...OPTS, caFile: pki.ca, ...extra });
    return r.resources;
  };

  beforeAll(async () => {
    const dir = tempDir("cipherproof-hostile-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    pki = new Pki(dir);
    // TLS 1.0, 1.2 and 1.3 (1.1 off), two suites in TLS 1.0 and four in 1.2: a few dozen handshakes per scan.
    backend = await fleet.sServer(
      [
        "-cipher",
        "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0",
        "-no_tls1_1",
      ],
      pki.leaf(),
    );
    direct = tlsDoc(await scan(backend));
  }, 60_000);
  afterAll(() => fleet.stop());

  it("the server scanned directly accepts TLS 1.0, 1.2 and 1.3 and fails the minimum-version policy", () => {
    expect(direct.missing).toBeUndefined();
    expect(direct.properties.protocols).toEqual(["TLSv1.0", "TLSv1.2", "TLSv1.3"]);
    expect(direct.properties.minProtocolVersion).toBe(1);
    expect(status([direct], "endpoint-tls-protocol-min-tls12")).toBe("fail");
  });

  it("one reset on the first TLS 1.0 ClientHello is retried: TLS 1.0 is still found and the policy fails", async () => {
    const proxy = await helloProxy(fleet, backend, (h) =>
      h.protocol === "TLSv1.0" && h.seen === 1 ? "reset" : "pass",
    );
    const docs = await scan(proxy.port);
    const tls = tlsDoc(docs);
    expect(proxy.log).toContainEqual(["TLSv1.0", "reset"]);
    expect(tls.missing).toBeUndefined();
    expect(tls.properties.protocols).toEqual(["TLSv1.0", "TLSv1.2", "TLSv1.3"]);
    expect(tls.properties.minProtocolVersion).toBe(1);
    expect(status(docs, "endpoint-tls-protocol-min-tls12")).toBe("fail");
    expect(tls.properties.cipherSuites).toEqual(direct.properties.cipherSuites);
  });

  it("TLS 1.0 ClientHellos reset every time: the protocol list and minimum version are missing, the policy errors", async () => {
    const proxy = await helloProxy(fleet, backend, (h) => (h.protocol === "TLSv1.0" ? "reset" : "pass"));
    const docs = await scan(proxy.port);
    const tls = tlsDoc(docs);
    expect(proxy.log.filter(([p]) => p === "TLSv1.0")).toHaveLength(3); // the first attempt and two retries
    for (const p of ["protocols", "minProtocolVersion", "weakCipherSuites", "cipherSuites"])
      expect(tls.missing?.[p], p).toMatch(/TLSv1\.0: connection reset by peer on each of 3 attempts/);
    expect(tls.properties.protocols).toBeUndefined();
    expect(tls.properties.minProtocolVersion).toBeUndefined();
    // What the reset does not touch is still measured.
    expect(tls.properties.tls13Offered).toBe(true);
    expect(tls.properties.certificateTrusted).toBe(true);
    expect(status(docs, "endpoint-tls-protocol-min-tls12")).toBe("error");
    expect(status(docs, "endpoint-tls-no-weak-cipher-suites")).toBe("error");
    expect(status(docs, "endpoint-tls-tls13-offered")).toBe("pass");
  });

  it("a reset in the middle of cipher-suite enumeration leaves the suite lists missing, not shortened", async () => {
    // The first TLS 1.2 hello gets its ServerHello; every later one (the next suite, the preference check) is reset.
    const proxy = await helloProxy(fleet, backend, (h) =>
      h.protocol === "TLSv1.2" && h.seen > 1 ? "reset" : "pass",
    );
    const docs = await scan(proxy.port);
    const tls = tlsDoc(docs);
    // TLS 1.2 was accepted, so the protocol facts stand...
    expect(tls.properties.protocols).toEqual(["TLSv1.0", "TLSv1.2", "TLSv1.3"]);
    expect(tls.properties.minProtocolVersion).toBe(1);
    // ...but the suites of TLS 1.2 beyond the first are unknown.
    for (const p of [
      "acceptedCipherSuites",
      "cipherSuites",
      "weakCipherSuites",
      "nonForwardSecretCipherSuites",
      "allSuitesForwardSecret",
      "dhMinBits",
      "ecdhMinBits",
      "serverCipherPreference",
    ])
      expect(tls.missing?.[p], p).toMatch(
        /cipher-suite enumeration in TLSv1\.2: connection reset by peer on each of 3 attempts/,
      );
    expect(tls.properties.weakCipherSuites).toBeUndefined();
    expect(status(docs, "endpoint-tls-no-weak-cipher-suites")).toBe("error");
    expect(status(docs, "endpoint-tls-forward-secrecy")).toBe("error");
    expect(status(docs, "endpoint-tls-protocol-min-tls12")).toBe("fail");
  });

  it("a reset on every third connection changes nothing: retries give the same result as a direct scan", async () => {
    // Every third hello of each protocol is reset. The probes of one version run one after another, so a probe's
    // attempts are consecutive hellos of its protocol and at most one of them is reset. (Counting connections
    // across versions is not enough: the versions are probed side by side, and between two attempts of one probe,
    // with the retry pause, other versions can take exactly two connections each time.)
    const proxy = await helloProxy(fleet, backend, (h) => (h.seen % 3 === 0 ? "reset" : "pass"));
    const tls = tlsDoc(await scan(proxy.port, { maxConnectionsPerHost: 1 }));
    expect(proxy.log.filter(([, v]) => v === "reset").length).toBeGreaterThan(3);
    expect(tls.missing).toBeUndefined();
    for (const p of [
      "protocols",
      "minProtocolVersion",
      "cipherSuites",
      "certificateTrusted",
      "hostnameMatches",
    ])
      expect(tls.properties[p], p).toEqual(direct.properties[p]);
  });

  // The certificate comes from two full handshakes ("client" hellos): the server's choice, then one allowing only the
  // other key type, which this RSA-only backend refuses with an alert.
  const CERT_FACTS = [
    "certificateTrusted",
    "hostnameMatches",
    "certDaysUntilExpiry",
    "certLifetimeDays",
    "certKeyType",
    "certKeyBits",
    "certSignatureHash",
  ];

  it("the other-key-type certificate handshake reset every time: the certificate facts are unknown, their policies error", async () => {
    const proxy = await helloProxy(fleet, backend, (h) =>
      h.protocol === "client" && h.seen > 1 ? "reset" : "pass",
    );
    const docs = await scan(proxy.port);
    const tls = tlsDoc(docs);
    expect(proxy.log.filter(([p, v]) => p === "client" && v === "reset")).toHaveLength(3);
    for (const p of CERT_FACTS) {
      expect(tls.properties, p).not.toHaveProperty(p);
      expect(tls.missing?.[p], p).toMatch(
        /handshake offering only ECDSA certificates got no answer: TLS handshake failed: ECONNRESET \(3 attempts\)/,
      );
    }
    expect(tls.missing?.certificates).toMatch(/a second certificate the server may hold was not seen/);
    // The certificate's identity and the protocol facts still stand.
    expect(tls.properties.certFingerprintSha256).toBe(direct.properties.certFingerprintSha256);
    expect(tls.properties.protocols).toEqual(direct.properties.protocols);
    for (const id of [
      "endpoint-tls-certificate-trusted",
      "endpoint-tls-certificate-hostname-match",
      "endpoint-tls-certificate-not-expiring",
      "endpoint-tls-certificate-rsa-key-strong",
      "endpoint-tls-certificate-signature-sha256",
    ])
      expect(status(docs, id), id).toBe("error");
    expect(status(docs, "endpoint-tls-protocol-min-tls12")).toBe("fail");
  });

  it("connections refused after the first certificate handshake (a rate limit): the facts are unknown, not the first certificate's", async () => {
    // Forwards everything to the backend until the first full-client hello; then stops listening, so the handshake
    // for the other key type is refused on every attempt.
    let clients = 0;
    const front = createNetServer((s) => {
      s.on("error", () => {});
      s.once("data", (d: Buffer) => {
        if (helloInfo(d).protocol === "client" && ++clients === 1) front.close();
        forwardTo(backend, s, d);
      });
    });
    await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
    fleet.onStop(() => front.close());
    const tls = tlsDoc(await scan((front.address() as { port: number }).port));
    expect(clients).toBe(1);
    for (const p of CERT_FACTS) {
      expect(tls.properties, p).not.toHaveProperty(p);
      expect(tls.missing?.[p], p).toMatch(
        /handshake offering only ECDSA certificates got no answer: .*refused.*\(3 attempts\)/,
      );
    }
    expect(tls.properties.protocols).toEqual(direct.properties.protocols);
  });

  it("the other-key-type certificate handshake closed without an alert, twice, is a refusal: the facts stand", async () => {
    const proxy = await helloProxy(fleet, backend, (h) =>
      h.protocol === "client" && h.seen > 1 ? "fin" : "pass",
    );
    const tls = tlsDoc(await scan(proxy.port));
    expect(proxy.log.filter(([p, v]) => p === "client" && v === "fin")).toHaveLength(2);
    expect(tls.missing).toBeUndefined();
    for (const p of CERT_FACTS) expect(tls.properties[p], p).toEqual(direct.properties[p]);
  });

  it("the other-key-type certificate handshake reset once is retried: the facts are the direct scan's", async () => {
    const proxy = await helloProxy(fleet, backend, (h) =>
      h.protocol === "client" && h.seen === 2 ? "reset" : "pass",
    );
    const tls = tlsDoc(await scan(proxy.port));
    expect(proxy.log.filter(([p]) => p === "client")).toHaveLength(3);
    expect(tls.missing).toBeUndefined();
    for (const p of CERT_FACTS) expect(tls.properties[p], p).toEqual(direct.properties[p]);
  });

  it("a clean close (FIN, no alert) after the hello is still a refusal of that version", async () => {
    const proxy = await helloProxy(fleet, backend, (h) => (h.protocol === "TLSv1.0" ? "fin" : "pass"));
    const docs = await scan(proxy.port);
    const tls = tlsDoc(docs);
    expect(tls.missing).toBeUndefined();
    expect(tls.properties.protocols).toEqual(["TLSv1.2", "TLSv1.3"]);
    expect(tls.properties.minProtocolVersion).toBe(1.2);
    expect(status(docs, "endpoint-tls-protocol-min-tls12")).toBe("pass");
    // A bare close is confirmed by one more attempt before it counts.
    expect(proxy.log.filter(([p]) => p === "TLSv1.0")).toHaveLength(2);
  });

  it("a single clean close that the next attempt contradicts is not a refusal", async () => {
    const proxy = await helloProxy(fleet, backend, (h) =>
      h.protocol === "TLSv1.0" && h.seen === 1 ? "fin" : "pass",
    );
    const docs = await scan(proxy.port);
    expect(tlsDoc(docs).properties.protocols).toEqual(["TLSv1.0", "TLSv1.2", "TLSv1.3"]);
    expect(status(docs, "endpoint-tls-protocol-min-tls12")).toBe("fail");
  });

  it("a server that resets every ClientHello ends as error for every TLS policy, with the reason", async () => {
    const proxy = await helloProxy(fleet, backend, (h) => (h.protocol === "client" ? "pass" : "reset"));
    const docs = await scan(proxy.port);
    const tls = tlsDoc(docs);
    expect(tls.missing?.protocols).toMatch(/no protocol version was accepted \(connection reset by peer\)/);
    expect(tls.missing?.protocols).toMatch(/3 attempts each ended without an answer, which is not a refusal/);
    const found = evaluate([tls], endpointPolicies(), { now: new Date() }).findings;
    expect(found.filter((f) => f.status !== "error").map((f) => f.policyId)).toEqual([]);
  });
});

/** A fake PostgreSQL server: answers an SSLRequest with `N` and a StartupMessage with `reply`. */
function fakePostgres(reply: Buffer | ((s: Socket) => void)): (s: Socket) => void {
  return (s) => {
    s.on("error", () => {});
    s.on("data", (d) => {
      if (d.length === 8 && d.readUInt32BE(4) === 80877103) s.write("N");
      else if (typeof reply === "function") reply(s);
      else s.write(reply);
    });
  };
}

/** A backend message: type byte, Int32 length (self included), body. */
function pgMessage(type: string, body: Buffer, length = body.length + 4): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(length, 1);
  return Buffer.concat([head, body]);
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

describe.skipIf(!ready)("PostgreSQL: malformed replies are missing evidence, never a crash", () => {
  const fleet = new Fleet();
  let dir: string;
  let pki: Pki;
  let good: number;
  const ports: Record<string, number> = {};

  const CASES: Array<[string, Buffer, RegExp]> = [
    ["r-empty", Buffer.from([0x52, 0, 0, 0, 4]), /malformed AuthenticationRequest from the server/],
    ["r-short", pgMessage("R", Buffer.from([0, 0])), /malformed AuthenticationRequest from the server/],
    ["r-unknown-code", pgMessage("R", int32(99)), /malformed AuthenticationRequest.*code 99/],
    ["r-sasl-continue", pgMessage("R", Buffer.concat([int32(11), Buffer.from("x")])), /code 11/],
    ["r-md5-no-salt", pgMessage("R", int32(5)), /malformed AuthenticationRequest.*md5 with a 4-byte body/],
    [
      "e-unterminated",
      pgMessage("E", Buffer.from("SFATAL\0C28000\0Mno pg_hba.conf entry")),
      /malformed ErrorResponse from the server/,
    ],
    ["e-no-list-end", pgMessage("E", Buffer.from("C28000\0")), /malformed ErrorResponse/],
    [
      "notice-flood",
      Buffer.concat(
        Array.from({ length: 200 }, () => pgMessage("N", Buffer.from("SNOTICE\0C00000\0Mhi\0\0"))),
      ),
      /malformed reply from the server: 64 messages/,
    ],
  ];

  beforeAll(async () => {
    dir = tempDir("cipherproof-hostile-pg-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    pki = new Pki(dir);
    good = await fleet.sServer(["-cipher", "ECDHE+AESGCM:@SECLEVEL=0", "-no_tls1", "-no_tls1_1"], pki.leaf());
    for (const [name, reply] of CASES) ports[name] = await fleet.tcp(fakePostgres(reply));
    ports.valid = await fleet.tcp(fakePostgres(pgMessage("R", int32(3))));
  }, 60_000);
  afterAll(() => fleet.stop());

  it("each malformed reply puts plaintextRefused in missing; the policy errors; the other targets are scanned", async () => {
    const targets = [
      ...CASES.map(([name]) => parseTarget(`postgres://127.0.0.1:${ports[name]}/app`, { name })),
      parseTarget(`postgres://127.0.0.1:${ports.valid}/app`, { name: "valid" }),
      parseTarget(`127.0.0.1:${good}`, { sni: "localhost", hostname: "localhost", name: "good" }),
    ];
    const result = await collectEndpoints(targets, { ...OPTS, caFile: pki.ca });
    const docsOf = (name: string) => result.resources.filter((r) => r.name === name);
    for (const [name, , reason] of CASES) {
      const pg = docsOf(name).find((d) => d.type === "endpoint.postgres")!;
      expect(pg, name).toBeDefined();
      expect(pg.missing?.plaintextRefused, name).toMatch(reason);
      expect(pg.properties.plaintextRefused, name).toBeUndefined();
      expect(pg.properties.sslSupported, name).toBe(false);
      expect(status(docsOf(name), "endpoint-postgres-plaintext-refused"), name).toBe("error");
    }
    // A well-formed cleartext password request is plaintext accepted: a fail, as before.
    expect(docsOf("valid").find((d) => d.type === "endpoint.postgres")!.properties).toMatchObject({
      plaintextRefused: false,
      plaintextResponse: "plaintext StartupMessage answered with password (cleartext)",
    });
    expect(status(docsOf("valid"), "endpoint-postgres-plaintext-refused")).toBe("fail");
    const tls = tlsDoc(docsOf("good"));
    expect(tls.missing).toBeUndefined();
    expect(tls.properties.protocols).toEqual(["TLSv1.2", "TLSv1.3"]);
  });

  it("the CLI reports the malformed server as error findings (exit 1, not an internal error) beside a good target", async () => {
    const r = await runCliInProcess(
      [
        "scan",
        "--endpoints",
        `postgres://127.0.0.1:${ports["r-empty"]}`,
        `127.0.0.1:${good}`,
        "--ca-file",
        pki.ca,
        "--read-timeout",
        String(TIMEOUT),
        "--out",
        join(dir, "cli-out"),
        "--format",
        "json",
      ],
      dir,
    );
    expect(r.stderr).not.toMatch(/internal error|outside buffer bounds/i);
    expect(r.code).toBe(1);
    const findings = JSON.parse(readFileSync(join(dir, "cli-out", "findings.json"), "utf8")) as {
      findings: Array<{ policyId: string; resourceId: string; status: string }>;
    };
    const pg = findings.findings.find((f) => f.policyId === "endpoint-postgres-plaintext-refused")!;
    expect(pg.status).toBe("error");
    expect(
      findings.findings.some((f) => f.resourceId === `tls://127.0.0.1:${good}` && f.status !== "error"),
    ).toBe(true);
  });
});

describe("SMTP: STARTTLS works only when a whole TLS handshake completes after it", () => {
  // Advertises STARTTLS and answers 220, then answers a TLS 1.2 ClientHello offering TLS_RSA_WITH_AES_128_GCM_SHA256
  // with a ServerHello and a fatal alert, and every other hello with a handshake_failure alert: no handshake ever
  // completes, though the probes see a ServerHello.
  const record = (type: number, body: Buffer) =>
    Buffer.concat([Buffer.from([type, 3, 3, body.length >> 8, body.length & 255]), body]);
  const hello = Buffer.concat([
    Buffer.from([3, 3]),
    Buffer.alloc(32, 7),
    Buffer.from([0, 0x00, 0x9c, 0, 0, 0]),
  ]);
  const serverHello = record(22, Buffer.concat([Buffer.from([2, 0, 0, hello.length]), hello]));
  const alert = (code: number) => record(21, Buffer.from([2, code]));
  let port = 0;
  const server = createNetServer((c) => {
    c.on("error", () => {});
    c.write("220 mx.test ESMTP\r\n");
    let tls = false;
    let buf = Buffer.alloc(0);
    c.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (tls) {
        if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
        const { protocol, suites } = helloInfo(buf);
        c.end(
          protocol === "TLSv1.2" && suites.includes(0x009c)
            ? Buffer.concat([serverHello, alert(80)])
            : alert(40),
        );
        return;
      }
      const text = buf.toString("latin1");
      if (!text.endsWith("\r\n")) return;
      buf = Buffer.alloc(0);
      if (/^EHLO/i.test(text)) c.write("250-mx.test\r\n250 STARTTLS\r\n");
      else if (/^STARTTLS/i.test(text)) {
        tls = true;
        c.write("220 go ahead\r\n");
      } else c.end("221 bye\r\n");
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  it("a ServerHello followed by an abort is not a working STARTTLS", async () => {
    const t = parseTarget(`smtp://127.0.0.1:${port}`, { sni: "mx.test", hostname: "mx.test" });
    const { resources } = await collectEndpoints([t], OPTS);
    const smtp = resources.find((d) => d.type === "endpoint.smtp");
    expect(smtp?.properties).toMatchObject({ starttlsAdvertised: true, starttlsWorks: false });
    expect(status(resources, "endpoint-smtp-starttls-enabled")).toBe("fail");
  });
});

describe("an unexpected exception in one target's check is that target's missing evidence, for every kind", () => {
  const MODULES = "../../../src/collectors/endpoints";
  afterEach(() => {
    vi.doUnmock(`${MODULES}/postgres.js`);
    vi.doUnmock(`${MODULES}/http.js`);
    vi.doUnmock(`${MODULES}/smtp.js`);
    vi.doUnmock(`${MODULES}/tls-probe.js`);
    vi.resetModules();
  });

  /** Load the collector with one module's function replaced by one that throws a programming error. */
  async function withThrowing(module: string, fn: string) {
    vi.resetModules();
    vi.doMock(`${MODULES}/${module}`, async (original) => ({
      ...(await original<Record<string, unknown>>()),
      [fn]: () => {
        throw new TypeError(`bug in ${fn}`);
      },
    }));
    return await import("../../../src/collectors/endpoints/index.js");
  }

  // Port 9 on 127.0.0.1 (discard) is closed here: the targets that are not broken just see "connection refused".
  const CASES: Array<[string, string, string, string, string]> = [
    [
      "postgres.js",
      "checkPostgresPlaintext",
      "postgres://127.0.0.1:9/app",
      "endpoint.postgres",
      "plaintextRefused",
    ],
    ["http.js", "checkPlainHttp", "http://127.0.0.1:9", "endpoint.http", "plaintextOutcome"],
    ["smtp.js", "smtpCapabilities", "smtp://127.0.0.1:9", "endpoint.smtp", "starttlsAdvertised"],
    ["tls-probe.js", "scanTls", "127.0.0.1:9", "endpoint.tls", "protocols"],
    ["tls-probe.js", "scanTls", "https://127.0.0.1:9", "endpoint.http", "hstsMaxAgeSeconds"],
  ];
  for (const [module, fn, target, type, property] of CASES) {
    it(`${fn} throwing for ${target}: ${type}.${property} is missing with the error, the next target is scanned`, async () => {
      const { collectEndpoints: collect, parseTarget: parse } = await withThrowing(module, fn);
      const result = await collect([parse(target), parse("http://127.0.0.1:9/other")], {
        readTimeoutMs: 500,
        connectTimeoutMs: 500,
      });
      const docs = result.resources.filter((r) => r.id === parse(target).id);
      const d = docs.find((r) => r.type === type);
      expect(d, type).toBeDefined();
      expect(d!.missing?.[property]).toMatch(new RegExp(`internal error.*TypeError: bug in ${fn}`));
      expect(
        evaluate(docs, endpointPolicies(), { now: new Date() }).findings.filter((f) => f.status === "pass"),
      ).toEqual([]);
      const other = result.resources.find((r) => r.id === "http://127.0.0.1:9/other");
      if (fn !== "checkPlainHttp") expect(other?.properties.plaintextOutcome).toBe("refused");
      else expect(other?.missing?.plaintextOutcome).toMatch(/TypeError: bug in checkPlainHttp/);
    });
  }
});

describe.skipIf(!ready)("HSTS headers a browser must ignore (RFC 6797 §6.1) are no HSTS", () => {
  const fleet = new Fleet();
  let pki: Pki;
  let port: number;
  let docs: ResourceDocument[];

  const HEADERS: Record<string, string | string[]> = {
    "/dup": "max-age=0; max-age=31536000",
    "/dup-case": "max-age=31536000; MAX-AGE=31536000",
    "/quote": 'max-age="31536000',
    "/dup-isd": "max-age=31536000; includeSubDomains; includeSubDomains",
    "/dup-empty": "max-age=31536000; max-age",
    "/junk": "max-age=31536000 junk",
    "/not-digits": "max-age=+31536000",
    "/two-fields": ["max-age=0", "max-age=31536000"],
    "/first-invalid": ['max-age="31536000', "max-age=31536000"],
    "/valid": 'MAX-AGE="31536000" ; IncludeSubDomains; x-note="a;b=c"; preload',
  };

  beforeAll(async () => {
    const dir = tempDir("cipherproof-hostile-hsts-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    pki = new Pki(dir);
    const leaf = pki.leaf();
    const server = createHttpsServer(
      { key: readFileSync(leaf.key), cert: readFileSync(leaf.cert) },
      (req, res) => {
        res.setHeader("Strict-Transport-Security", HEADERS[req.url ?? ""] ?? "max-age=31536000");
        res.end("ok");
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
    fleet.onStop(() => server.close());
    const targets = Object.keys(HEADERS).map((path) =>
      parseTarget(`https://127.0.0.1:${port}${path}`, {
        sni: "localhost",
        hostname: "localhost",
        name: path,
      }),
    );
    docs = (await collectEndpoints(targets, { ...OPTS, caFile: pki.ca })).resources;
  }, 60_000);
  afterAll(() => fleet.stop());

  const httpDoc = (path: string) => docs.find((d) => d.name === path && d.type === "endpoint.http")!;

  for (const path of [
    "/dup",
    "/dup-case",
    "/quote",
    "/dup-isd",
    "/dup-empty",
    "/junk",
    "/not-digits",
    "/first-invalid",
  ]) {
    it(`${path}: ${JSON.stringify(HEADERS[path])} is no HSTS, so the policy fails`, () => {
      const d = httpDoc(path);
      expect(d.missing).toBeUndefined();
      expect(d.properties.hstsMaxAgeSeconds).toBeNull();
      expect(d.properties.hstsIncludeSubDomains).toBe(false);
      expect(status([d], "endpoint-http-hsts-enabled")).toBe("fail");
    });
  }

  it("of two Strict-Transport-Security fields only the first counts (RFC 6797 §8.1)", () => {
    const d = httpDoc("/two-fields");
    expect(d.properties.hstsMaxAgeSeconds).toBe(0);
    expect(status([d], "endpoint-http-hsts-enabled")).toBe("fail");
  });

  it("names are case-insensitive, values may be quoted, unknown directives are ignored", () => {
    const d = httpDoc("/valid");
    expect(d.properties).toMatchObject({
      hstsMaxAgeSeconds: 31536000,
      hstsIncludeSubDomains: true,
      hstsPreload: true,
    });
    expect(status([d], "endpoint-http-hsts-enabled")).toBe("pass");
  });

  it("parseHsts follows the RFC 6797 grammar", () => {
    expect(parseHsts("max-age=31536000")).toEqual({
      maxAge: 31536000,
      includeSubDomains: false,
      preload: false,
    });
    expect(parseHsts(" ; max-age = 10 ;; includeSubDomains ;")).toEqual({
      maxAge: 10,
      includeSubDomains: true,
      preload: false,
    });
    expect(parseHsts('max-age="1\\0"')).toMatchObject({ maxAge: 10 }); // quoted-pair
    expect(parseHsts("max-age=0; max-age=31536000")).toBeNull();
    expect(parseHsts('max-age="31536000')).toBeNull();
    expect(parseHsts("max-age=31536000; includeSubDomains=yes")).toMatchObject({ includeSubDomains: false });
    expect(parseHsts("max-age=")).toBeNull();
    expect(parseHsts("max-age=-1")).toBeNull();
    expect(parseHsts("max-age=1.5")).toBeNull();
    expect(parseHsts("max-age=99999999999999999999")).toBeNull();
    expect(parseHsts("max-age=31536000, max-age=0")).toBeNull();
    expect(parseHsts("foo=bar; max-age=5")).toMatchObject({ maxAge: 5 });
  });
});
