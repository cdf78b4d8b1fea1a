import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import { isCipherproofError } from "../../../src/core/errors.js";
import { BUILTIN_POLICY_DIR, policyFiles } from "../../../src/loaders/policies.js";
import { loadProfiles, PROFILE_DIR, profileNames } from "../../../src/loaders/profiles.js";

describe("Mozilla server-side TLS profiles (policies/profiles)", () => {
  it("ships intermediate and modern as versioned data", () => {
    expect(profileNames()).toEqual(["mozilla-intermediate", "mozilla-modern"]);
    for (const name of profileNames()) {
      const raw = JSON.parse(readFileSync(join(PROFILE_DIR, `${name}.json`), "utf8"));
      expect(raw).toMatchObject({
        id: name,
        version: "5.7",
        source: expect.stringMatching(/^https:\/\/ssl-config\.mozilla\.org\//),
      });
      expect(raw.data.cipher_suites_iana).toEqual([...raw.data.ciphersuites, ...raw.data.ciphers.iana]);
      expect(raw.data.ciphers.iana.length).toBe(raw.data.ciphers.openssl.length);
    }
  });

  it("compiles every profile policy with values taken from the profile's data", () => {
    const inter = loadProfiles(["mozilla-intermediate"]);
    expect(inter.map((p) => p.id)).toEqual([
      "mozilla-intermediate-protocols",
      "mozilla-intermediate-cipher-suites",
      "mozilla-intermediate-key-exchange-groups",
      "mozilla-intermediate-certificate-key",
      "mozilla-intermediate-certificate-signature",
      "mozilla-intermediate-certificate-lifetime",
      "mozilla-intermediate-hsts",
      "mozilla-intermediate-ocsp-stapling",
    ]);
    const protocols = inter[0].assert as { properties: { protocols: { items: { enum: string[] } } } };
    expect(protocols.properties.protocols.items.enum).toEqual(["TLSv1.2", "TLSv1.3"]);
    const modern = loadProfiles(["mozilla-modern"]);
    expect((modern[0].assert as typeof protocols).properties.protocols.items.enum).toEqual(["TLSv1.3"]);
    // Guidelines 5.7: modern certificates live at most 90 days, intermediate 366 (checked against 5.7.json).
    const lifetime = (ps: typeof modern) =>
      ps.find((p) => p.id.endsWith("-certificate-lifetime"))?.assertFn as (d: unknown) => boolean;
    expect(lifetime(modern)({ certLifetimeDays: 90 })).toBe(true);
    expect(lifetime(modern)({ certLifetimeDays: 91 })).toBe(false);
    expect(lifetime(inter)({ certLifetimeDays: 366 })).toBe(true);
    expect(lifetime(inter)({ certLifetimeDays: 367 })).toBe(false);
    // Findings from endpoint documents that carry no curve (collected before certKeyCurve existed): an RSA-1024 or
    // DSA key is still a violation; an EC key without its curve is missing evidence.
    const keyPolicy = inter.find((p) => p.id === "mozilla-intermediate-certificate-key");
    const endpoint = (properties: Record<string, unknown>) => ({
      type: "endpoint.tls",
      id: "https://example.test:443",
      name: "example.test:443",
      provider: "endpoint",
      source: "endpoint",
      collectedAt: "2026-11-22T00:00:00.000Z",
      properties,
    });
    const statusOf = (properties: Record<string, unknown>) =>
      evaluate([endpoint(properties)], keyPolicy ? [keyPolicy] : [], {
        now: new Date("2026-11-22T00:00:00Z"),
      }).findings[0].status;
    expect(statusOf({ certKeyType: "RSA", certKeyBits: 1024 })).toBe("fail");
    expect(statusOf({ certKeyType: "DSA", certKeyBits: 2048 })).toBe("fail");
    expect(statusOf({ certKeyType: "EC", certKeyBits: 256 })).toBe("error");
    // EC keys are judged by curve name: secp256k1 is 256 bits but not one of the profile's curves.
    for (const ps of [inter, modern]) {
      const key = ps.find((p) => p.id.endsWith("-certificate-key"))?.assertFn as (d: unknown) => boolean;
      expect(key({ certKeyType: "EC", certKeyBits: 256, certKeyCurve: "prime256v1" })).toBe(true);
      expect(key({ certKeyType: "EC", certKeyBits: 256, certKeyCurve: "secp256k1" })).toBe(false);
    }
  });

  it("keeps profiles out of the default pack and refuses unknown profiles or id clashes", () => {
    expect(policyFiles(BUILTIN_POLICY_DIR).some((f) => f.includes("profiles"))).toBe(false);
    let err: unknown;
    try {
      loadProfiles(["mozilla-old"]);
    } catch (e) {
      err = e;
    }
    expect(isCipherproofError(err)).toBe(true);
    expect((err as { hint?: string }).hint).toMatch(/mozilla-intermediate, mozilla-modern/);
    expect(() => loadProfiles(["mozilla-modern"], new Set(["mozilla-modern-hsts"]))).toThrow(
      /already loaded/,
    );
  });
});
