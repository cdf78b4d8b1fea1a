import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  collectSnapshots,
  decodeSnapshotBytes,
  mapSnapshotDocument,
} from "../../../src/collectors/aws-config-snapshot/index.js";
import { CipherproofError, formatError } from "../../../src/core/errors.js";
import { asBaseItem, ci, FILE, NOW, snapshot } from "./fixtures.js";

interface Expected {
  code: string;
  file: string;
  pointer?: string;
  message?: RegExp;
  line?: number;
}

function expectInputError(run: () => unknown, expected: Expected): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught, "an error was thrown").toBeInstanceOf(CipherproofError);
  const err = caught as CipherproofError;
  expect(err.code).toBe(expected.code);
  expect(err.location.file).toBe(expected.file);
  expect(err.location.pointer).toBe(expected.pointer);
  if (expected.message) expect(err.message).toMatch(expected.message);
  if (expected.line !== undefined) expect(err.location.line).toBe(expected.line);
  // Rendered for people: one line plus an optional hint, never a stack trace.
  expect(formatError(err)).not.toMatch(/\n\s+at /);
}

const map = (doc: unknown) => () => mapSnapshotDocument(doc, FILE, { now: NOW });
const F = FILE.file;
const db = (config: unknown, extra: Record<string, unknown> = {}) =>
  ci("AWS::RDS::DBInstance", "db-1", config as Record<string, unknown>, extra);

describe("malformed input is an input error naming the file and JSON pointer", () => {
  it("1. text that is not JSON → JSON_SYNTAX with line and column", () => {
    expectInputError(
      () => decodeSnapshotBytes(Buffer.from('{\n  "configurationItems": [\n    {,\n'), "broken.json"),
      {
        code: "JSON_SYNTAX",
        file: "broken.json",
        pointer: undefined,
        line: 3,
      },
    );
  });

  it("2. gzip magic bytes on data that does not decompress", () => {
    const bad = Buffer.concat([gzipSync("{}").subarray(0, 10), Buffer.from("not deflate data at all")]);
    expectInputError(() => decodeSnapshotBytes(bad, "snap.json.gz"), {
      code: "SNAPSHOT_INVALID",
      file: "snap.json.gz",
      pointer: undefined,
      message: /not valid gzip/,
    });
  });

  it("3. a top-level array", () => {
    expectInputError(map([{ resourceType: "AWS::S3::Bucket" }]), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "",
      message: /is an array/,
    });
  });

  it("4. an object of none of the three shapes", () => {
    expectInputError(map({ ConfigurationItems: [] }), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "",
      message: /not an AWS Config snapshot, batch-get-resource-config or select-resource-config output/,
    });
  });

  it("5. configurationItems that is not an array", () => {
    expectInputError(map({ fileVersion: "1.0", configurationItems: { a: 1 } }), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems",
      message: /must be an array/,
    });
  });

  it("6. an item that is not an object", () => {
    expectInputError(map(snapshot(ci("AWS::EC2::SecurityGroup", "sg-1", {}), "AWS::S3::Bucket")), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/1",
    });
  });

  it("7. an item without resourceType", () => {
    const item = ci("AWS::S3::Bucket", "b", {});
    delete item.resourceType;
    expectInputError(map(snapshot(item)), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/0/resourceType",
      message: /no resourceType/,
    });
  });

  it("8. an item with an empty resourceId", () => {
    expectInputError(
      map(
        snapshot(
          ci("AWS::S3::Bucket", "a", {}),
          ci("AWS::S3::Bucket", "b", {}),
          ci("AWS::S3::Bucket", "", {}),
        ),
      ),
      {
        code: "SNAPSHOT_INVALID",
        file: F,
        pointer: "/configurationItems/2/resourceId",
      },
    );
  });

  it("9. a configuration that is neither an object nor a JSON string", () => {
    expectInputError(map(snapshot(db(42))), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/0/configuration",
      message: /must be an object or a JSON-encoded object/,
    });
  });

  it("10. a batch-get configuration string that is not valid JSON", () => {
    const item = asBaseItem(db({ engine: "postgres" }));
    item.configuration = '{"engine": "postgres",';
    expectInputError(map({ baseConfigurationItems: [item], unprocessedResourceKeys: [] }), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/baseConfigurationItems/0/configuration",
      message: /configuration is a string that is not valid JSON/,
    });
  });

  it("11. a batch-get configuration string encoding an array", () => {
    const item = asBaseItem(db({}));
    item.configuration = "[1,2]";
    expectInputError(map({ baseConfigurationItems: [item] }), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/baseConfigurationItems/0/configuration",
      message: /must encode an object/,
    });
  });

  it("12. a field of the wrong type", () => {
    const items = [
      ci("AWS::EC2::SecurityGroup", "sg", {}),
      ci("AWS::EC2::SecurityGroup", "sg2", {}),
      ci("AWS::EC2::SecurityGroup", "sg3", {}),
      db({ engine: "postgres", storageEncrypted: "yes" }),
    ];
    expectInputError(map(snapshot(...items)), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/3/configuration/storageEncrypted",
      message: /is "yes"; must be a boolean/,
    });
  });

  it("13. a field of the wrong type inside a JSON-encoded configuration", () => {
    expectInputError(
      map({
        baseConfigurationItems: [asBaseItem(db({ engine: "postgres", backupRetentionPeriod: "seven" }))],
      }),
      {
        code: "SNAPSHOT_INVALID",
        file: F,
        pointer: "/baseConfigurationItems/0/configuration",
        message: /at \/backupRetentionPeriod inside the JSON-encoded string: is "seven"; must be an integer/,
      },
    );
  });

  it("14. a select result that is not a string", () => {
    expectInputError(map({ Results: [{ resourceType: "AWS::S3::Bucket" }], QueryInfo: {} }), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/Results/0",
      message: /JSON-encoded strings/,
    });
  });

  it("15. a select result string that is not JSON", () => {
    expectInputError(
      map({
        Results: [
          JSON.stringify({ resourceType: "AWS::EC2::SecurityGroup", resourceId: "sg-1" }),
          "{resourceType:",
        ],
      }),
      {
        code: "SNAPSHOT_INVALID",
        file: F,
        pointer: "/Results/1",
        message: /the result is a string that is not valid JSON/,
      },
    );
  });

  it("16. a select result without resourceId", () => {
    expectInputError(map({ Results: [JSON.stringify({ resourceType: "AWS::S3::Bucket" })] }), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/Results/0",
      message: /at \/resourceId inside the JSON-encoded string: the configuration item has no resourceId/,
    });
  });

  it("17. a bucket policyText that is not JSON", () => {
    const bucket = ci(
      "AWS::S3::Bucket",
      "b",
      { name: "b" },
      { supplementaryConfiguration: { BucketPolicy: { policyText: '{"Statement": [' } } },
    );
    expectInputError(map(snapshot(bucket)), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/0/supplementaryConfiguration/BucketPolicy/policyText",
      message: /policyText is a string that is not valid JSON/,
    });
  });

  it("18. a supplementary value that is a broken JSON string", () => {
    const item = asBaseItem(ci("AWS::S3::Bucket", "b", { name: "b" }));
    item.supplementaryConfiguration = { ServerSideEncryptionConfiguration: '{"rules": [' };
    expectInputError(map({ baseConfigurationItems: [item] }), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/baseConfigurationItems/0/supplementaryConfiguration/ServerSideEncryptionConfiguration",
    });
  });

  it("19. a capture time that is not a date", () => {
    expectInputError(map(snapshot(db({}, {}), db({}, { configurationItemCaptureTime: "yesterday" }))), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/1/configurationItemCaptureTime",
    });
  });

  it("20. a supported item without configuration", () => {
    expectInputError(map(snapshot(db(null))), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/0/configuration",
      message: /has no configuration/,
    });
  });

  it("21. a listener port out of range, and nested lists of the wrong type", () => {
    const listener = ci("AWS::ElasticLoadBalancingV2::Listener", "arn:l", {
      ListenerArn: "arn:l",
      LoadBalancerArn: "arn:lb",
      Port: 70000,
      Protocol: "HTTP",
      DefaultActions: [],
    });
    expectInputError(map(snapshot(listener)), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/0/configuration/Port",
    });
    expectInputError(map(snapshot(db({ dBParameterGroups: "default" }))), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/0/configuration/dBParameterGroups",
      message: /must be an array/,
    });
  });

  it("22. a configurationItemStatus or QueryInfo of the wrong type", () => {
    expectInputError(map(snapshot(db({}, { configurationItemStatus: 1 }))), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/configurationItems/0/configurationItemStatus",
    });
    expectInputError(map({ Results: [], QueryInfo: "all" }), {
      code: "SNAPSHOT_INVALID",
      file: F,
      pointer: "/QueryInfo",
    });
  });
});

describe("file errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "cp-snap-err-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing file is FILE_NOT_FOUND, a directory FILE_UNREADABLE", async () => {
    const missing = join(dir, "nope.json.gz");
    await expect(collectSnapshots([missing], { now: NOW })).rejects.toMatchObject({
      code: "FILE_NOT_FOUND",
      location: { file: missing },
    });
    await expect(collectSnapshots([dir], { now: NOW })).rejects.toMatchObject({
      code: "FILE_UNREADABLE",
      location: { file: dir },
    });
  });

  it("an error in the second file names the second file", async () => {
    const good = join(dir, "good.json");
    const bad = join(dir, "bad.json.gz");
    writeFileSync(good, JSON.stringify(snapshot()));
    writeFileSync(
      bad,
      gzipSync(JSON.stringify(snapshot(ci("AWS::EC2::Volume", "vol-1", { encrypted: "no" })))),
    );
    await expect(collectSnapshots([good, bad], { now: NOW })).rejects.toMatchObject({
      code: "SNAPSHOT_INVALID",
      location: { file: bad, pointer: "/configurationItems/0/configuration/encrypted" },
    });
  });

  it("an empty file is a JSON syntax error, not a crash", async () => {
    const empty = join(dir, "empty.json");
    writeFileSync(empty, "");
    await expect(collectSnapshots([empty], { now: NOW })).rejects.toMatchObject({
      code: "JSON_SYNTAX",
      location: { file: empty },
    });
  });
});
