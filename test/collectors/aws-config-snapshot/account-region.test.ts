import { describe, expect, it } from "vitest";
import { ci, expectValidDocuments, mapItems } from "./fixtures.js";

describe("aws.account.region documents", () => {
  it("one per (account, region) seen, everything a snapshot cannot carry missing", () => {
    const r = mapItems(
      ci("AWS::EC2::SecurityGroup", "sg-1", { groupId: "sg-1" }),
      ci("AWS::EC2::SecurityGroup", "sg-2", { groupId: "sg-2" }, { awsRegion: "eu-west-1" }),
      ci("AWS::EC2::SecurityGroup", "sg-3", { groupId: "sg-3" }, { awsAccountId: "444455556666" }),
    );
    const docs = r.resources.filter((d) => d.type === "aws.account.region");
    expect(docs.map((d) => d.name)).toEqual([
      "111122223333/eu-west-1",
      "111122223333/us-east-1",
      "444455556666/us-east-1",
    ]);
    for (const d of docs) {
      expect(d.properties).toEqual({});
      expect(Object.keys(d.missing ?? {}).sort()).toEqual([
        "configDeliveryChannelExists",
        "configIncludesGlobalResources",
        "configLastStatus",
        "configRecorderExists",
        "configRecorderRecording",
        "configRecordsAllSupported",
        "ebsDefaultKmsKeyId",
        "ebsEncryptionByDefault",
      ]);
      expect(d.missing?.ebsEncryptionByDefault).toBe("not recorded by AWS Config snapshots (use --aws)");
    }
    expectValidDocuments(docs);
  });

  it("fills the recorder facts from an AWS::Config::ConfigurationRecorder item", () => {
    const r = mapItems(
      ci("AWS::Config::ConfigurationRecorder", "default", {
        Name: "default",
        RecordingGroup: {
          AllSupported: false,
          IncludeGlobalResourceTypes: false,
          RecordingStrategy: { UseOnly: "INCLUSION_BY_RESOURCE_TYPES" },
        },
        Recording: true,
      }),
    );
    expect(r.unsupportedTypes).toEqual({});
    const [doc] = r.resources;
    expect(doc.type).toBe("aws.account.region");
    expect(doc.properties).toEqual({
      configRecorderExists: true,
      configRecorderRecording: true,
      configRecordsAllSupported: false,
      configIncludesGlobalResources: false,
    });
    expectValidDocuments(r.resources);
  });
});
