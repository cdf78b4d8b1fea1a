import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectEndpoints,
  type EndpointScanResult,
  parseTarget,
} from "../../../src/collectors/endpoints/index.js";
import type { EndpointTarget } from "../../../src/collectors/endpoints/targets.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import type { ResourceDocument } from "../../../src/core/types.js";
import { loadProfiles } from "../../../src/loaders/profiles.js";
import { endpointPolicies, Fleet, freePort, need, Pki, sslscan, tempDir } from "./support.js";

const ready = [need("openssl"), need("nginx", ["/usr/sbin/nginx"]), need("sslscan")].every(Boolean);

/** One server of the matrix: how to start it, and which endpoint policies must fail on it (exactly). */
interface Case {
  name: string;
  kind: "https" | "tls" | "http";
  /** Failing policy ids (without the "endpoint-" prefix) on the endpoint.tls resource. */
  tlsFails?: string[];
  /** Failing policy ids on the endpoint.http resource. */
  httpFails?: string[];
  /** Cross-check protocols and suites with sslscan. */
  crossCheck: boolean;
}

const CASES: Case[] = [
  { name: "nginx-strong", kind: "https", tlsFails: [], httpFails: [], crossCheck: true },
  {
    name: "nginx-legacy",
    kind: "https",
    tlsFails: ["tls-tls13-offered", "tls-forward-secrecy"],
    httpFails: ["http-hsts-enabled"],
    crossCheck: true,
  },
  { name: "nginx-http-redirect", kind: "http", httpFails: [], crossCheck: false },
  { name: "nginx-http-served", kind: "http", httpFails: ["http-redirects-to-https"], crossCheck: false },
  {
    name: "tls10-only",
    kind: "tls",
    tlsFails: [
      "tls-protocol-min-tls12",
      "tls-tls13-offered",
      "tls-no-weak-cipher-suites",
      "tls-forward-secrecy",
      "tls-key-exchange-strong",
    ],
    crossCheck: true,
  },
  {
    name: "expired",
    kind: "tls",
    tlsFails: ["tls-certificate-trusted", "tls-certificate-not-expiring"],
    crossCheck: true,
  },
  { name: "self-signed", kind: "tls", tlsFails: ["tls-certificate-trusted"], crossCheck: true },
  { name: "wrong-host", kind: "tls", tlsFails: ["tls-certificate-hostname-match"], crossCheck: true },
  // Only the Common Name says localhost: RFC 9525, Chrome and Go match subjectAltName entries only.
  { name: "cn-only", kind: "tls", tlsFails: ["tls-certificate-hostname-match"], crossCheck: true },
  { name: "rsa-1024", kind: "tls", tlsFails: ["tls-certificate-rsa-key-strong"], crossCheck: true },
  { name: "sha1-signature", kind: "tls", tlsFails: ["tls-certificate-signature-sha256"], crossCheck: true },
  { name: "dh-1024", kind: "tls", tlsFails: ["tls-key-exchange-strong"], crossCheck: true },
  { name: "long-lifetime", kind: "tls", tlsFails: ["tls-certificate-lifetime-max"], crossCheck: true },
  { name: "ocsp-stapled", kind: "tls", tlsFails: [], crossCheck: true },
];

// Suites a well-configured s_server offers, so that only the certificate defect under test fails a policy.
const GOOD = ["-cipher", "ECDHE+AESGCM:ECDHE+CHACHA20:@SECLEVEL=0", "-no_tls1", "-no_tls1_1"];

describe.skipIf(!ready)(
  "TLS endpoints against real servers (nginx, openssl s_server), cross-checked with sslscan",
  () => {
    const fleet = new Fleet();
    const ports = new Map<string, number>();
    const targets = new Map<string, EndpointTarget>();
    let result: EndpointScanResult;
    let pki: Pki;

    beforeAll(async () => {
      const dir = tempDir("cipherproof-tls-");
      fleet.onStop(() => rmSync(dir, { recursive: true, force: true }));
      pki = new Pki(dir);
      const good = pki.leaf();
      // `openssl x509 -days 89`: notAfter 89 days after notBefore, a validity period of 89 days and one second
      // counted inclusive, so 90 days as the CA/Browser Forum counts, like a 90-day ACME certificate.
      const ec = pki.leaf({ key: "ec", days: 89 });
      const now = Date.now();
      const stamp = (ms: number) => `${new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
      const stapled = pki.leaf({ start: stamp(now - 86_400_000), end: stamp(now + 89 * 86_400_000) });

      const [strong, redirect, served, legacy] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
      await fleet.nginx(
        `${dir}/nginx`,
        `
  server {
    listen 127.0.0.1:${strong} ssl;
    server_name localhost;
    ssl_certificate ${ec.cert};
    ssl_certificate_key ${ec.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384;
    ssl_prefer_server_ciphers off;
    add_header Strict-Transport-Security "max-age=63072000" always;
    location / { return 200 "strong\\n"; }
  }
  server { listen 127.0.0.1:${redirect}; location / { return 301 https://localhost:${strong}$request_uri; } }
  server { listen 127.0.0.1:${served}; location / { return 200 "plain\\n"; } }
  server {
    listen 127.0.0.1:${legacy} ssl;
    server_name localhost;
    ssl_certificate ${good.cert};
    ssl_certificate_key ${good.key};
    ssl_protocols TLSv1.2;
    ssl_ciphers ECDHE+AESGCM:AES128-GCM-SHA256;
    ssl_prefer_server_ciphers on;
    add_header Strict-Transport-Security "max-age=300" always;
    location / { return 200 "legacy\\n"; }
  }`,
        [strong, redirect, served, legacy],
      );
      ports.set("nginx-strong", strong);
      ports.set("nginx-legacy", legacy);
      ports.set("nginx-http-redirect", redirect);
      ports.set("nginx-http-served", served);

      const starts: Array<[string, Promise<number>]> = [
        ["tls10-only", fleet.sServer(["-tls1", "-cipher", "ALL:@SECLEVEL=0"], good)],
        ["expired", fleet.sServer(GOOD, pki.leaf({ start: "20240101000000Z", end: "20250101000000Z" }))],
        ["self-signed", fleet.sServer(GOOD, pki.leaf({ selfSigned: true }))],
        ["wrong-host", fleet.sServer(GOOD, pki.leaf({ names: ["DNS:wrong.example.test"] }))],
        ["cn-only", fleet.sServer(GOOD, pki.leaf({ names: [] }))],
        ["rsa-1024", fleet.sServer(GOOD, pki.leaf({ key: "rsa:1024" }))],
        ["sha1-signature", fleet.sServer(GOOD, pki.leaf({ md: "sha1" }))],
        [
          "dh-1024",
          fleet.sServer(
            [
              "-cipher",
              "DHE+AESGCM:ECDHE+AESGCM:@SECLEVEL=0",
              "-dhparam",
              pki.dhparam(1024),
              "-no_tls1",
              "-no_tls1_1",
            ],
            good,
          ),
        ],
        ["long-lifetime", fleet.sServer(GOOD, pki.leaf({ days: 825 }))],
        ["ocsp-stapled", fleet.sServer([...GOOD, "-status_file", pki.ocspResponse(stapled.cert)], stapled)],
      ];
      for (const [name, p] of starts) ports.set(name, await p);

      for (const c of CASES) {
        const port = ports.get(c.name)!;
        const raw =
          c.kind === "https"
            ? `https://127.0.0.1:${port}`
            : c.kind === "http"
              ? `http://127.0.0.1:${port}`
              : `127.0.0.1:${port}`;
        targets.set(c.name, parseTarget(raw, { sni: "localhost", hostname: "localhost", name: c.name }));
      }
      result = await collectEndpoints([...targets.values()], {
        caFile: pki.ca,
        readTimeoutMs: 5000,
        connectTimeoutMs: 3000,
      });
    }, 180_000);

    afterAll(() => fleet.stop());

    const docs = (name: string, type: string): ResourceDocument => {
      const t = targets.get(name)!;
      const d = result.resources.find((r) => r.id === t.id && r.type === type);
      if (!d) throw new Error(`no ${type} resource for ${name}`);
      return d;
    };
    const fails = (doc: ResourceDocument) => {
      const { findings } = evaluate([doc], endpointPolicies(), { now: new Date() });
      const errors = findings.filter((f) => f.status === "error");
      expect(
        errors.map((f) => `${f.policyId}: ${f.message}`),
        "no policy may end in error on a reachable server",
      ).toEqual([]);
      return findings
        .filter((f) => f.status === "fail")
        .map((f) => f.policyId.replace(/^endpoint-/, ""))
        .sort();
    };

    for (const c of CASES) {
      if (c.tlsFails) {
        it(`${c.name}: fails exactly ${c.tlsFails.length ? c.tlsFails.join(", ") : "no TLS policy"}`, () => {
          expect(fails(docs(c.name, "endpoint.tls"))).toEqual([...c.tlsFails!].sort());
        });
      }
      if (c.httpFails) {
        it(`${c.name}: HTTP checks fail exactly ${c.httpFails.length ? c.httpFails.join(", ") : "nothing"}`, () => {
          expect(fails(docs(c.name, "endpoint.http"))).toEqual([...c.httpFails!].sort());
        });
      }
      if (c.crossCheck) {
        it(`${c.name}: protocols and accepted suites equal sslscan's`, async () => {
          const doc = docs(c.name, "endpoint.tls");
          const ours = {
            protocols: [...(doc.properties.protocols as string[])].sort(),
            suites: (doc.properties.cipherSuites as Array<{ protocol: string; code: string }>)
              .map((s) => `${s.protocol} ${s.code}`)
              .sort(),
          };
          const theirs = await sslscan(`127.0.0.1:${ports.get(c.name)}`, ["--sni-name=localhost"]);
          expect(ours.protocols).toEqual(theirs.protocols);
          expect(ours.suites).toEqual(theirs.suites);
          expect(ours.suites.length).toBeGreaterThan(0);
        });
      }
    }

    it("the TLS 1.0-only server is seen with its anonymous suites and 1024-bit DH", () => {
      const p = docs("tls10-only", "endpoint.tls").properties;
      expect(p.protocols).toEqual(["TLSv1.0"]);
      expect(p.minProtocolVersion).toBe(1.0);
      expect((p.weakCipherSuites as string[]).some((s) => s.includes("_anon_"))).toBe(true);
      expect(p.dhMinBits).toBe(1024);
    });

    it("records certificate facts, key-exchange groups and suite details", () => {
      const strong = docs("nginx-strong", "endpoint.tls").properties;
      expect(strong).toMatchObject({
        certKeyType: "EC",
        certKeyBits: 256,
        certificateTrusted: true,
        hostnameMatches: true,
        tls13Offered: true,
        dhMinBits: null,
      });
      expect(strong.ecdhMinBits).toBeGreaterThanOrEqual(256);
      expect(strong.certLifetimeDays).toBe(90);
      // One certificate: the list holds it alone, the same one the cert* facts describe.
      expect(strong.certificates).toEqual([
        expect.objectContaining({ keyType: "EC", fingerprintSha256: strong.certFingerprintSha256 }),
      ]);
      expect(strong.ocspStapled).toBe(false);
      expect(docs("ocsp-stapled", "endpoint.tls").properties.ocspStapled).toBe(true);
      expect(docs("dh-1024", "endpoint.tls").properties.keyExchangeGroups).toContain("dh1024");
      expect(docs("sha1-signature", "endpoint.tls").properties).toMatchObject({
        certSignatureAlgorithm: "sha1WithRSAEncryption",
        certSignatureHash: "sha1",
      });
      expect(docs("rsa-1024", "endpoint.tls").properties).toMatchObject({
        certKeyType: "RSA",
        certKeyBits: 1024,
      });
      expect(docs("expired", "endpoint.tls").properties).toMatchObject({
        certificateTrusted: false,
        certificateTrustError: "CERT_HAS_EXPIRED",
      });
      expect(docs("self-signed", "endpoint.tls").properties.certificateTrustError).toMatch(/SELF_SIGNED/);
      expect(docs("nginx-legacy", "endpoint.tls").properties.serverCipherPreference).toBe(true);
      expect(docs("nginx-strong", "endpoint.tls").properties.serverCipherPreference).toBe(false);
      expect(docs("nginx-http-redirect", "endpoint.http").properties).toMatchObject({
        plaintextOutcome: "redirects-to-https",
        statusCode: 301,
      });
      expect(docs("nginx-strong", "endpoint.http").properties.hstsMaxAgeSeconds).toBe(63072000);
    });

    it("keeps handshakes close to accepted suites + 1 per version (+1 preference check, +1 weaker-curve search)", () => {
      for (const c of CASES.filter((x) => x.kind !== "http")) {
        const p = docs(c.name, "endpoint.tls").properties;
        const suites = (p.cipherSuites as unknown[]).length;
        const versions = 6; // SSLv2 to TLS 1.3: the refusal (or the SSLv2 answer) of each
        const prefChecks = (p.protocols as string[]).length;
        const curveSearches = (p.protocols as string[]).filter((v) => v !== "TLSv1.3").length;
        expect(p.handshakes as number, c.name).toBeLessThanOrEqual(
          suites + versions + prefChecks + curveSearches,
        );
      }
    });

    it("Mozilla profiles: intermediate fails only OCSP stapling on the strong server; modern also wants TLS 1.3 only and ECDSA signatures", () => {
      const strong = [docs("nginx-strong", "endpoint.tls"), docs("nginx-strong", "endpoint.http")];
      const failing = (profile: string) =>
        evaluate(strong, loadProfiles([profile]), { now: new Date() })
          .findings.filter((f) => f.status !== "pass")
          .map((f) => `${f.policyId}:${f.status}`)
          .sort();
      expect(failing("mozilla-intermediate")).toEqual(["mozilla-intermediate-ocsp-stapling:fail"]);
      expect(failing("mozilla-modern")).toEqual([
        "mozilla-modern-certificate-signature:fail",
        "mozilla-modern-cipher-suites:fail",
        "mozilla-modern-ocsp-stapling:fail",
        "mozilla-modern-protocols:fail",
      ]);
    });
  },
);
