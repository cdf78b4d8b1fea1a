import { describe, expect, it } from "vitest";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

const trail = (over: Record<string, unknown> = {}) =>
  ci("AWS::CloudTrail::Trail", "main", {
    name: "main",
    s3BucketName: "trail-bucket",
    includeGlobalServiceEvents: true,
    isMultiRegionTrail: true,
    homeRegion: "us-east-1",
    trailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
    logFileValidationEnabled: true,
    cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:trail:*`,
    kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`,
    hasCustomEventSelectors: false,
    isOrganizationTrail: false,
    ...over,
  });

describe("AWS::CloudTrail::Trail → aws.cloudtrail.trail", () => {
  it("maps the trail; isLogging is missing because Config does not record GetTrailStatus", () => {
    const r = mapItems(trail());
    const doc = only(r, "aws.cloudtrail.trail");
    expect(doc.id).toBe(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`);
    expect(doc.properties).toEqual({
      homeRegion: "us-east-1",
      isMultiRegionTrail: true,
      isOrganizationTrail: false,
      logFileValidationEnabled: true,
      kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`,
      includeGlobalServiceEvents: true,
      recordsManagementEvents: true,
      s3BucketName: "trail-bucket",
      cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:trail:*`,
    });
    expect(doc.missing).toEqual({ isLogging: expect.stringMatching(/GetTrailStatus.*use --aws/) });
    expectValidDocuments(r.resources);
  });

  it("uses isLogging when the item carries it; custom selectors leave management events missing", () => {
    const doc = only(
      mapItems(
        trail({
          isLogging: false,
          hasCustomEventSelectors: true,
          kmsKeyId: null,
          cloudWatchLogsLogGroupArn: undefined,
        }),
      ),
      "aws.cloudtrail.trail",
    );
    expect(doc.properties).toMatchObject({
      isLogging: false,
      kmsKeyId: null,
      cloudWatchLogsLogGroupArn: null,
    });
    expect(doc.missing?.recordsManagementEvents).toMatch(/custom event selectors/);
    expectValidDocuments([doc]);
  });
});
