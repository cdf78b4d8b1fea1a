import { describe, expect, it } from "vitest";
import { isSecretKey, REDACTED, redact, redactString } from "../../src/evidence/redact.js";

describe("evidence redaction", () => {
  it("redacts values under secret-named keys at any depth, keeping identifiers that merely mention keys or secrets", () => {
    const doc = {
      properties: {
        masterUserPassword: "hunter2",
        nested: { client_secret: "abc", apiKey: 12345, sessionToken: "tok", "private-key": "k" },
        credentials: { accessKeyId: "x", secretAccessKey: "y" },
        list: [{ password: "p" }],
        kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1",
        secretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:db",
        keySpec: "SYMMETRIC_DEFAULT",
        allSuitesForwardSecret: true,
        activeAccessKeyCount: 2,
        keyIdSuffix: "WXYZ",
        rotationEnabled: false,
        passwordEnabled: true,
      },
    };
    const stats = { byKey: 0, byPattern: 0 };
    const out = redact(doc, stats);
    expect(out.properties.masterUserPassword).toBe(REDACTED);
    expect(out.properties.nested).toEqual({
      client_secret: REDACTED,
      apiKey: REDACTED,
      sessionToken: REDACTED,
      "private-key": REDACTED,
    });
    expect(out.properties.credentials).toBe(REDACTED);
    expect(out.properties.list).toEqual([{ password: REDACTED }]);
    for (const k of [
      "kmsKeyId",
      "secretArn",
      "keySpec",
      "allSuitesForwardSecret",
      "activeAccessKeyCount",
      "keyIdSuffix",
      "rotationEnabled",
      "passwordEnabled",
    ] as const) {
      expect(out.properties[k]).toEqual(doc.properties[k]);
    }
    expect(stats.byKey).toBe(7);
    expect(doc.properties.masterUserPassword).toBe("hunter2");
  });

  it("masks secret-looking values whatever their key", () => {
    const cases: Array<[string, RegExp]> = [
      [
        "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----",
        /^\[REDACTED:private-key\]$/,
      ],
      ["id AKIAIOSFODNN7EXAMPLE used", /^id \[REDACTED:aws-access-key-id\] used$/],
      ["postgres://admin:s3cr3t@db:5432/app", /^postgres:\/\/admin:\[REDACTED\]@db:5432\/app$/],
      ["https://x/?X-Amz-Signature=abcdef123&b=1", /X-Amz-Signature=\[REDACTED\]&b=1/],
      ["Authorization: Bearer abcdefghijklmnopqrstuvwxyz", /Bearer \[REDACTED\]$/],
      ["token ghp_abcdefghijklmnopqrstuvwxyz0123456789", /\[REDACTED:github-token\]/],
      [
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        /^\[REDACTED:jwt\]$/,
      ],
      ["password=hunter2;host=db", /^password=\[REDACTED\];host=db$/],
    ];
    for (const [input, expected] of cases) expect(redactString(input)).toMatch(expected);
    expect(redactString("arn:aws:kms:us-east-1:111122223333:key/abcd")).toBe(
      "arn:aws:kms:us-east-1:111122223333:key/abcd",
    );
    expect(redactString("TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256")).toBe("TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256");
  });

  it("classifies key names", () => {
    for (const k of [
      "password",
      "DB_PASSWORD",
      "secretAccessKey",
      "privateKey",
      "api_key",
      "refreshToken",
      "Authorization",
    ])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of [
      "accessKeyId",
      "kmsKeyId",
      "keyState",
      "secretName",
      "tokenCount",
      "oldestActiveAccessKeyAgeDays",
      "certKeyBits",
    ])
      expect(isSecretKey(k), k).toBe(false);
  });
});
