import { join } from "node:path";
import { type AwsCollection, type AwsCollectOptions, collectAws } from "../../../src/collectors/aws/index.js";
import { evaluate } from "../../../src/core/engine/evaluate.js";
import type { Finding, ResourceDocument } from "../../../src/core/types.js";
import { loadPolicies } from "../../../src/loaders/policies.js";
import { type Fixture, loadFixture } from "../../support/aws-standin/fixture.js";

/** The seeded two-account, two-region organisation. */
export const ORG_FIXTURE = join(import.meta.dirname, "../../support/aws-standin/fixtures/org.json");
/** Management account of the fixture, and its static access key. */
export const MGMT = {
  account: "111111111111",
  accessKeyId: "AKIASTANDINMGMT00001",
  secretAccessKey: "standin-secret-mgmt",
};
/** Member account of the fixture. */
export const DEV = "222222222222";

/** A fresh copy of the organisation fixture. */
export function orgFixture(): Fixture {
  return loadFixture(ORG_FIXTURE);
}

/** Collect through the stand-in with tiny retry delays, as the management account. */
export function collectVia(url: string, options: Partial<AwsCollectOptions> = {}): Promise<AwsCollection> {
  return collectAws({
    endpointUrl: url,
    credentials: { accessKeyId: MGMT.accessKeyId, secretAccessKey: MGMT.secretAccessKey },
    homeRegion: "us-east-1",
    env: {},
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 400 },
    ...options,
  });
}

const policies = loadPolicies();

/** Evaluate resources against the built-in pack. */
export function evaluateAll(resources: ResourceDocument[], now = new Date()): Finding[] {
  return evaluate(resources, policies, { now }).findings;
}
