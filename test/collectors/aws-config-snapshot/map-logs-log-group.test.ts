import { describe, expect, it } from "vitest";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

describe("AWS::Logs::LogGroup → aws.logs.log_group", () => {
  it("maps DescribeLogGroups-style fields; an absent retention means never expire", () => {
    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app:*`;
    const r = mapItems(
      ci(
        "AWS::Logs::LogGroup",
        "/app",
        {
          logGroupName: "/app",
          creationTime: 1700000000000,
          arn,
          storedBytes: 1024,
          kmsKeyId: "arn:aws:kms:us-east-1:1:key/k",
          logGroupClass: "STANDARD",
        },
        { ARN: arn },
      ),
    );
    const doc = only(r, "aws.logs.log_group");
    expect(doc.properties).toEqual({
      kmsKeyId: "arn:aws:kms:us-east-1:1:key/k",
      retentionDays: null,
      storedBytes: 1024,
      creationTime: "2023-11-14T22:13:20.000Z",
      logGroupClass: "STANDARD",
    });
    expectValidDocuments(r.resources);
  });

  it("reads the CloudFormation spelling and builds the ARN", () => {
    const doc = only(
      mapItems(ci("AWS::Logs::LogGroup", "/lambda/x", { LogGroupName: "/lambda/x", RetentionInDays: 30 })),
      "aws.logs.log_group",
    );
    expect(doc.id).toBe(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/lambda/x`);
    expect(doc.properties).toMatchObject({ kmsKeyId: null, retentionDays: 30 });
    expect(Object.keys(doc.missing ?? {}).sort()).toEqual(["creationTime", "logGroupClass", "storedBytes"]);
    expectValidDocuments([doc]);
  });
});
