import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectEndpoints,
  type EndpointScanResult,
  parseTarget,
} from "../../../src/collectors/endpoints/index.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import { endpointPolicies, Fleet, freePort, need, Pki, smtpHandler, sslscan, tempDir } from "./support.js";

const ready = [need("openssl"), need("sslscan")].every(Boolean);
const TIMEOUT = 1500;

describe.skipIf(!ready)("hostile and broken endpoints end as error within the timeout, never a pass", () => {
  const fleet = new Fleet();
  const ports: Record<string, number> = {};
  let result: EndpointScanResult;
  let wall = 0;

  beforeAll(async () => {
    const dir = tempDir("cipherproof-robust-");
    fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
    const pki = new Pki(dir);
    const good = pki.leaf();
    ports.tarpit = await fleet.tcp((s) => {
      s.on("error", () => {});
      // accepts, reads, never answers
    });
    ports.dripTarpit = await fleet.tcp((s) => {
      s.on("error", () => {});
      // a slow drip of a plausible TLS record header keeps idle timers happy; the per-probe deadline must still end it
      let i = 0;
      const bytes = [0x16, 0x03, 0x03, 0x00, 0x40];
      const t = setInterval(
        () => (i < bytes.length ? s.write(Buffer.from([bytes[i++]])) : s.write(Buffer.from([0]))),
        200,
      );
      s.on("close", () => clearInterval(t));
    });
    ports.banner = await fleet.tcp((s) => {
      s.on("error", () => {});
      s.write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
    });
    ports.garbage = await fleet.tcp((s) => {
      s.on("error", () => {});
      s.once("data", () => s.write(Buffer.from("ffee00112233445566778899aabbccddeeff", "hex")));
    });
    ports.httpOnTlsPort = await fleet.tcp((s) => {
      s.on("error", () => {});
      s.once("data", () => s.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
    });
    ports.reset = await fleet.tcp((s) => {
      s.on("error", () => {});
      s.once("data", () => s.resetAndDestroy());
    });
    ports.closed = await freePort();
    ports.smtpNoStarttls = await fleet.tcp(smtpHandler({ starttls: false }));
    ports.smtp = await fleet.tcp(smtpHandler({ starttls: true, cert: good }));
    ports.good = await fleet.sServer(["-cipher", "ECDHE+AESGCM:@SECLEVEL=0", "-no_tls1", "-no_tls1_1"], good);

    const t = (raw: string, name: string) =>
      parseTarget(raw, { sni: "localhost", hostname: "localhost", name });
    const targets = [
      t(`127.0.0.1:${ports.tarpit}`, "tarpit"),
      t(`127.0.0.1:${ports.dripTarpit}`, "drip-tarpit"),
      t(`127.0.0.1:${ports.banner}`, "banner"),
      t(`127.0.0.1:${ports.garbage}`, "garbage"),
      t(`127.0.0.1:${ports.httpOnTlsPort}`, "http-on-tls-port"),
      t(`127.0.0.1:${ports.reset}`, "reset"),
      t(`127.0.0.1:${ports.closed}`, "closed"),
      t(`https://127.0.0.1:${ports.tarpit}`, "https-tarpit"),
      t(`postgres://127.0.0.1:${ports.banner}`, "postgres-banner"),
      t(`http://127.0.0.1:${ports.tarpit}`, "http-tarpit"),
      t(`smtp://127.0.0.1:${ports.smtpNoStarttls}`, "smtp-no-starttls"),
      t(`smtp://127.0.0.1:${ports.smtp}`, "smtp"),
      t(`127.0.0.1:${ports.good}`, "good"),
    ];
    const started = Date.now();
    result = await collectEndpoints(targets, {
      caFile: pki.ca,
      readTimeoutMs: TIMEOUT,
      connectTimeoutMs: TIMEOUT,
      concurrency: 16,
    });
    wall = Date.now() - started;
  }, 60_000);
  afterAll(() => fleet.stop());

  const docsOf = (name: string) => result.resources.filter((r) => r.name === name);
  const statuses = (name: string) =>
    evaluate(docsOf(name), endpointPolicies(), { now: new Date() }).findings.map((f) => f.status);

  const broken: Array<[string, RegExp]> = [
    ["tarpit", /no answer within 1500 ms/],
    ["drip-tarpit", /no answer within 1500 ms/],
    ["banner", /not a TLS reply: "SSH-2\.0-OpenSSH/],
    ["garbage", /not a TLS reply/],
    ["http-on-tls-port", /not a TLS reply: "HTTP\/1\.1 400/],
    ["reset", /no protocol version was accepted \(connection reset by peer\)/],
    ["closed", /connection refused/],
    ["https-tarpit", /no answer within 1500 ms/],
    ["postgres-banner", /not a PostgreSQL answer to SSLRequest|not a PostgreSQL reply/],
    ["smtp-no-starttls", /does not advertise STARTTLS/],
  ];
  for (const [name, reason] of broken) {
    it(`${name}: every TLS policy ends as error with the reason, none passes`, () => {
      const tls = docsOf(name).find((d) => d.type === "endpoint.tls");
      expect(tls, "an endpoint.tls document is still produced").toBeDefined();
      expect(tls!.missing?.protocols).toMatch(reason);
      expect(tls!.missing?.certificateTrusted).toMatch(reason);
      const found = evaluate([tls!], endpointPolicies(), { now: new Date() }).findings;
      expect(found.length).toBeGreaterThan(0);
      expect(found.filter((f) => f.status === "pass" || f.status === "fail").map((f) => f.policyId)).toEqual(
        [],
      );
    });
  }

  it("the tarpit ends within the timeout while the other endpoints finish", () => {
    const stat = (target: string) => result.stats.find((s) => s.target === target)!;
    // The SNI and host name differ from the address's defaults, so they are part of the id.
    const tarpit = stat(`tls://127.0.0.1:${ports.tarpit}#sni=localhost&hostname=localhost`);
    expect(tarpit.error).toMatch(/no answer/);
    expect(tarpit.durationMs).toBeLessThan(TIMEOUT * 2 + 500);
    expect(wall).toBeLessThan(TIMEOUT * 4 + 2000);
    expect(statuses("good").filter((s) => s === "error")).toEqual([]);
    expect(docsOf("good").find((d) => d.type === "endpoint.tls")!.properties.protocols).toEqual([
      "TLSv1.2",
      "TLSv1.3",
    ]);
  });

  it("a plain-HTTP tarpit is an error for the redirect policy, not a pass", () => {
    const http = docsOf("http-tarpit").find((d) => d.type === "endpoint.http")!;
    expect(http.missing?.plaintextOutcome).toMatch(/no answer within 1500 ms/);
    const found = evaluate(docsOf("http-tarpit"), endpointPolicies(), { now: new Date() }).findings;
    expect(found.find((f) => f.policyId === "endpoint-http-redirects-to-https")?.status).toBe("error");
    expect(found.map((f) => f.status)).not.toContain("pass");
  });

  it("SMTP: STARTTLS advertised and working passes; not advertised fails", () => {
    const smtp = docsOf("smtp").find((d) => d.type === "endpoint.smtp")!;
    expect(smtp.properties).toMatchObject({ starttlsAdvertised: true, starttlsWorks: true });
    expect(docsOf("smtp").find((d) => d.type === "endpoint.tls")!.properties.protocols).toContain("TLSv1.2");
    const none = docsOf("smtp-no-starttls").find((d) => d.type === "endpoint.smtp")!;
    expect(none.properties).toMatchObject({ starttlsAdvertised: false, starttlsWorks: false });
    const st = (name: string) =>
      evaluate(docsOf(name), endpointPolicies(), { now: new Date() }).findings.find(
        (f) => f.policyId === "endpoint-smtp-starttls-enabled",
      )!.status;
    expect(st("smtp")).toBe("pass");
    expect(st("smtp-no-starttls")).toBe("fail");
  });

  it("SMTP after STARTTLS: protocols and suites equal sslscan --starttls-smtp", async () => {
    const tls = docsOf("smtp").find((d) => d.type === "endpoint.tls")!;
    const theirs = await sslscan(`127.0.0.1:${ports.smtp}`, ["--starttls-smtp"]);
    expect([...(tls.properties.protocols as string[])].sort()).toEqual(theirs.protocols);
    expect(
      (tls.properties.cipherSuites as Array<{ protocol: string; code: string }>)
        .map((s) => `${s.protocol} ${s.code}`)
        .sort(),
    ).toEqual(theirs.suites);
  });
});
