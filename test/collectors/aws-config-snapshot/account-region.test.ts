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
  const recorder = (
    id: string,
    allSupported: boolean,
    recording: boolean,
    extra: Record<string, unknown> = {},
  ) =>
    ci(
      "AWS::Config::ConfigurationRecorder",
      id,
      {
        Name: id,
        RecordingGroup: { AllSupported: allSupported, IncludeGlobalResourceTypes: allSupported },
        Recording: recording,
      },
      extra,
    );
  const regionFacts = (...items: unknown[]) => {
    const [doc] = mapItems(...items).resources.filter((d) => d.type === "aws.account.region");
    return { properties: doc.properties, missing: doc.missing ?? {} };
  };

  it("takes a region's facts from one recorder when it has several, never mixing them", () => {
    // A stopped recorder of all types and a running service-linked recorder of a few types: no recorder records
    // everything, in either order (mixing them would read as recording all types).
    const stopped = recorder("default", true, false);
    const linked = recorder("AWSConfigurationRecorderForSecurityHub", false, true);
    for (const items of [
      [stopped, linked],
      [linked, stopped],
    ]) {
      const { properties } = regionFacts(...items);
      expect(properties.configRecorderRecording && properties.configRecordsAllSupported).toBe(false);
    }
    // A running recorder of all types speaks for the region whatever else is there.
    const running = recorder("default", true, true);
    for (const items of [
      [running, linked],
      [linked, running],
    ])
      expect(regionFacts(...items).properties).toEqual({
        configRecorderExists: true,
        configRecorderRecording: true,
        configRecordsAllSupported: true,
        configIncludesGlobalResources: true,
      });
  });

  it("makes a recorder's facts missing when its items captured at the same time disagree", () => {
    const on = recorder("default", true, true);
    const off = recorder("default", true, false);
    for (const items of [
      [on, off],
      [off, on],
    ]) {
      const { properties, missing } = regionFacts(...items);
      expect(properties).toEqual({ configRecorderExists: true });
      expect(missing.configRecorderRecording).toMatch(/recorder default captured at the same time disagree/);
      expect(missing.configRecordsAllSupported).toBe(missing.configRecorderRecording);
    }
    // The later capture is current: no conflict.
    const later = recorder("default", true, false, {
      configurationItemCaptureTime: "2026-11-22T06:00:00.000Z",
    });
    expect(regionFacts(on, later).properties.configRecorderRecording).toBe(false);
  });
});
