import { describe, expect, it } from "vitest";
import { awsOptionsFromFlags } from "../../../src/collectors/aws/flags.js";
import { CipherproofError } from "../../../src/core/errors.js";

const io = { stderr: () => {}, isTTY: false, env: {} };

function usage(values: Parameters<typeof awsOptionsFromFlags>[0]): string {
  try {
    awsOptionsFromFlags(values, io);
  } catch (err) {
    expect(err).toBeInstanceOf(CipherproofError);
    expect((err as CipherproofError).code).toBe("USAGE");
    return (err as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("scan --aws flags", () => {
  it("turns flags into collector options", () => {
    const { aws, aggregator } = awsOptionsFromFlags(
      {
        aws: true,
        regions: "us-east-1, eu-west-1,us-east-1",
        "max-concurrency": "4",
        "endpoint-url": "http://127.0.0.1:4566",
        profile: "audit",
      },
      io,
    );
    expect(aws).toMatchObject({
      regions: ["us-east-1", "eu-west-1"],
      maxConcurrency: 4,
      endpointUrl: "http://127.0.0.1:4566",
      profile: "audit",
    });
    expect(aggregator).toBeUndefined();
    expect(awsOptionsFromFlags({ aws: true, regions: "all" }, io).aws?.regions).toBe("all");
    expect(awsOptionsFromFlags({ org: true, "org-role": "Audit" }, io).aws).toMatchObject({
      org: true,
      orgRole: "Audit",
    });
    expect(awsOptionsFromFlags({ "config-aggregator": "org" }, io)).toMatchObject({
      aws: undefined,
      aggregator: { name: "org" },
    });
    expect(awsOptionsFromFlags({}, io)).toEqual({});
  });

  it("rejects bad values and flags without --aws", () => {
    expect(usage({ aws: true, regions: "us-east-1,mars" })).toMatch(/"mars" is not a region/);
    expect(usage({ aws: true, "max-concurrency": "0" })).toMatch(/--max-concurrency must be/);
    expect(usage({ aws: true, "endpoint-url": "localhost:4566" })).toMatch(/--endpoint-url must be/);
    expect(usage({ regions: "us-east-1" })).toMatch(/--regions needs --aws/);
    expect(usage({ aws: true, "org-role": "X" })).toMatch(/--org-role needs --org/);
    expect(usage({ org: true, "role-arn": ["arn:aws:iam::123456789012:role/A"] })).toMatch(
      /cannot be combined/,
    );
    expect(usage({ "role-arn": ["arn:aws:s3:::bucket"] })).toMatch(/not an IAM role ARN/);
  });
});
