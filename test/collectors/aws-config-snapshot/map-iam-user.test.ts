import { describe, expect, it } from "vitest";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

describe("AWS::IAM::User → aws.iam.user", () => {
  it("maps the user; access-key facts are missing; a global resource makes no account-region document", () => {
    const r = mapItems(
      ci(
        "AWS::IAM::User",
        "AIDA4Q2W6E8R0T2Y4U6I8",
        {
          path: "/automation/",
          userName: "ci-deploy",
          userId: "AIDA4Q2W6E8R0T2Y4U6I8",
          createDate: "2022-08-14T10:19:33.000Z",
          groupList: [],
        },
        { resourceName: "ci-deploy", awsRegion: "global", availabilityZone: "Not Applicable" },
      ),
    );
    expect(r.resources).toHaveLength(1);
    const doc = only(r, "aws.iam.user");
    expect(doc).toMatchObject({
      id: `arn:aws:iam::${ACCOUNT}:user/automation/ci-deploy`,
      name: "ci-deploy",
      region: "global",
    });
    expect(doc.properties).toEqual({ userName: "ci-deploy", createDate: "2022-08-14T10:19:33.000Z" });
    expect(Object.keys(doc.missing ?? {}).sort()).toEqual([
      "activeAccessKeyCount",
      "oldestActiveAccessKeyAgeDays",
    ]);
    expect(doc.missing?.activeAccessKeyCount).toMatch(/use --aws/);
    expectValidDocuments(r.resources);
  });
});
