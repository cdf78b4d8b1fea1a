import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type StandIn, startStandIn } from "../../support/aws-standin/server.js";
import { tempDir } from "../../support/cli.js";
import { MGMT, orgFixture } from "./helpers.js";
import { cleanEnv, runCliAsync } from "./run-cli.js";

let standin: StandIn;
beforeAll(async () => {
  standin = await startStandIn({ fixture: orgFixture() });
});
afterAll(() => standin.close());

it("works for a new user with only AWS_ENDPOINT_URL and static credentials set, and no flags but --aws", async () => {
  const home = tempDir();
  // No region, no profile, no config file: the SDK's own AWS_ENDPOINT_URL support carries every service.
  const r = await runCliAsync(
    ["scan", "--aws"],
    cleanEnv(home, {
      AWS_ENDPOINT_URL: standin.url,
      AWS_ACCESS_KEY_ID: MGMT.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MGMT.secretAccessKey,
    }),
    home,
  );
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toMatch(/fail/i);
  // The SDK's Node-version notice is silenced by the CLI entry (README recommends Node 22+ once instead).
  expect(r.stderr).not.toContain("NodeVersionSupportWarning");
  // Default regions are the account's enabled ones (EC2 DescribeRegions), both scanned.
  expect(standin.calls.get("ec2:DescribeRegions")).toBeGreaterThan(0);
  const bundle = join(home, "reports");
  expect(existsSync(bundle)).toBe(true);
  const findings = JSON.parse(readFileSync(join(bundle, "findings.json"), "utf8")) as {
    findings: Array<{ resource: { account: string; region: string } }>;
  };
  expect(new Set(findings.findings.map((f) => f.resource.account))).toEqual(new Set([MGMT.account]));
  expect(new Set(findings.findings.map((f) => f.resource.region))).toEqual(
    new Set(["us-east-1", "eu-west-1", "global"]),
  );
  // Not a TTY: no progress bar escape codes.
  expect(r.stderr).not.toContain("\x1b[2K");
});

it("fails with a clear message, not a stack, when credentials are wrong", async () => {
  const home = tempDir();
  const r = await runCliAsync(
    ["scan", "--aws"],
    cleanEnv(home, {
      AWS_ENDPOINT_URL: standin.url,
      AWS_ACCESS_KEY_ID: "AKIAUNKNOWN000000000",
      AWS_SECRET_ACCESS_KEY: "nope-secret",
    }),
    home,
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/cannot confirm AWS credentials: .*sts:GetCallerIdentity/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr + r.stdout).not.toContain("nope-secret");
});
