import { describe, expect, it } from "vitest";
import { analyzeBucketPolicy } from "../../../src/collectors/aws-config-snapshot/s3-policy.js";

const deny = (over: Record<string, unknown> = {}) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
  ...over,
});

describe("analyzeBucketPolicy", () => {
  const cases: Array<[string, unknown, boolean]> = [
    ["the AWS-recommended statement", { Statement: [deny()] }, true],
    ["a single statement object", { Statement: deny() }, true],
    [
      "boolean false and BoolIfExists",
      { Statement: [deny({ Condition: { BoolIfExists: { "aws:securetransport": false } } })] },
      true,
    ],
    [
      "Principal {AWS: '*'} and Action '*'",
      { Statement: [deny({ Principal: { AWS: ["*"] }, Action: "*" })] },
      true,
    ],
    ["a Resource wildcard over the bucket", { Statement: [deny({ Resource: "arn:aws:s3:::b*" })] }, true],
    ["no statements", { Statement: [] }, false],
    ["an Allow instead of a Deny", { Statement: [deny({ Effect: "Allow" })] }, false],
    [
      "only some principals",
      { Statement: [deny({ Principal: { AWS: "arn:aws:iam::111122223333:root" } })] },
      false,
    ],
    ["only some actions", { Statement: [deny({ Action: "s3:GetObject" })] }, false],
    ["only a prefix of the objects", { Statement: [deny({ Resource: "arn:aws:s3:::b/private/*" })] }, false],
    ["only the bucket, not its objects", { Statement: [deny({ Resource: "arn:aws:s3:::b" })] }, false],
    [
      "SecureTransport true",
      { Statement: [deny({ Condition: { Bool: { "aws:SecureTransport": "true" } } })] },
      false,
    ],
    [
      "an extra condition narrowing the deny",
      {
        Statement: [
          deny({
            Condition: {
              Bool: { "aws:SecureTransport": "false" },
              IpAddress: { "aws:SourceIp": "10.0.0.0/8" },
            },
          }),
        ],
      },
      false,
    ],
    [
      "NotPrincipal",
      { Statement: [deny({ Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::1:root" } })] },
      false,
    ],
  ];
  for (const [name, policy, expected] of cases) {
    it(`${expected ? "counts" : "does not count"} ${name}`, () => {
      expect(analyzeBucketPolicy(JSON.parse(JSON.stringify(policy)), "b").deniesInsecureTransport).toBe(
        expected,
      );
    });
  }

  it("reads the minimum TLS version from s3:TlsVersion", () => {
    const tls = (v: unknown) => deny({ Condition: { NumericLessThan: { "s3:TlsVersion": v } } });
    expect(analyzeBucketPolicy({ Statement: [tls("1.2")] }, "b").minimumTlsVersion).toBe(1.2);
    expect(analyzeBucketPolicy({ Statement: [tls(1.3), tls("1.2")] }, "b").minimumTlsVersion).toBe(1.3);
    expect(analyzeBucketPolicy({ Statement: [deny()] }, "b").minimumTlsVersion).toBeNull();
    expect(
      analyzeBucketPolicy({ Statement: [{ ...tls("1.2"), Principal: { AWS: "arn:aws:iam::1:root" } }] }, "b")
        .minimumTlsVersion,
    ).toBeNull();
  });
});
