import { describe, expect, it } from "vitest";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

const volume = (over: Record<string, unknown> = {}) =>
  ci(
    "AWS::EC2::Volume",
    "vol-0123456789abcdef0",
    {
      attachments: [
        {
          attachTime: "2025-01-01T00:00:00.000Z",
          device: "/dev/xvda",
          instanceId: "i-1",
          state: "attached",
          volumeId: "vol-0123456789abcdef0",
          deleteOnTermination: true,
        },
      ],
      availabilityZone: "us-east-1a",
      createTime: "2025-01-01T00:00:00.000Z",
      encrypted: true,
      kmsKeyId: "alias/aws/ebs",
      size: 30,
      state: "in-use",
      volumeId: "vol-0123456789abcdef0",
      volumeType: "gp3",
      ...over,
    },
    { resourceName: null },
  );

describe("AWS::EC2::Volume → aws.ec2.volume", () => {
  it("maps an attached encrypted volume and builds its ARN", () => {
    const r = mapItems(volume());
    const doc = only(r, "aws.ec2.volume");
    expect(doc.id).toBe(`arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0123456789abcdef0`);
    expect(doc.name).toBe("vol-0123456789abcdef0");
    expect(doc.properties).toEqual({
      encrypted: true,
      kmsKeyId: "alias/aws/ebs",
      kmsKeyManager: "AWS",
      state: "in-use",
      attached: true,
      volumeType: "gp3",
      sizeGiB: 30,
      availabilityZone: "us-east-1a",
    });
    expect(doc.missing).toEqual({});
    expectValidDocuments(r.resources);
  });

  it("maps a detached unencrypted volume; a state object {value} is read too", () => {
    const doc = only(
      mapItems(volume({ attachments: [], encrypted: false, kmsKeyId: null, state: { value: "available" } })),
      "aws.ec2.volume",
    );
    expect(doc.properties).toMatchObject({
      encrypted: false,
      kmsKeyId: null,
      kmsKeyManager: null,
      state: "available",
      attached: false,
    });
    expectValidDocuments([doc]);
  });
});
