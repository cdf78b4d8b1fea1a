import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixture } from "../../support/aws-standin/fixture.js";
import { type StandIn, startStandIn } from "../../support/aws-standin/server.js";
import { tempDir } from "../../support/cli.js";
import { MGMT, ORG_FIXTURE, orgFixture } from "./helpers.js";
import { cleanEnv, runCliAsync } from "./run-cli.js";

// Every finding of `cipherproof scan --aws --org` over the seeded organisation: policy | resource | status.
// The fixture's dates are relative to now ("@now-30d"), so this table holds whenever the test runs.
const EXPECTED = `
acm-certificate-not-expiring-soon | arn:aws:acm:us-east-1:111111111111:certificate/legacy | fail
acm-certificate-not-expiring-soon | arn:aws:acm:us-east-1:111111111111:certificate/portal | pass
acm-certificate-strong-key | arn:aws:acm:us-east-1:111111111111:certificate/legacy | fail
acm-certificate-strong-key | arn:aws:acm:us-east-1:111111111111:certificate/portal | pass
cloudtrail-trail-kms-encrypted | arn:aws:cloudtrail:us-east-1:111111111111:trail/old-trail | fail
cloudtrail-trail-kms-encrypted | arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail | pass
cloudtrail-trail-log-file-validation-enabled | arn:aws:cloudtrail:us-east-1:111111111111:trail/old-trail | fail
cloudtrail-trail-log-file-validation-enabled | arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail | pass
cloudtrail-trail-logging-enabled | arn:aws:cloudtrail:us-east-1:111111111111:trail/old-trail | fail
cloudtrail-trail-logging-enabled | arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail | pass
cloudtrail-trail-multi-region-enabled | arn:aws:cloudtrail:us-east-1:111111111111:trail/old-trail | fail
cloudtrail-trail-multi-region-enabled | arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail | pass
config-recorder-recording-all-resources | arn:aws::eu-west-1:111111111111:account-region | fail
config-recorder-recording-all-resources | arn:aws::eu-west-1:222222222222:account-region | fail
config-recorder-recording-all-resources | arn:aws::us-east-1:111111111111:account-region | pass
config-recorder-recording-all-resources | arn:aws::us-east-1:222222222222:account-region | pass
config-rule-compliant | arn:aws:config:us-east-1:111111111111:config-rule/encrypted-volumes | pass
config-rule-compliant | arn:aws:config:us-east-1:111111111111:config-rule/rds-storage-encrypted | error
config-rule-compliant | arn:aws:config:us-east-1:111111111111:config-rule/s3-bucket-ssl-requests-only | fail
config-rule-compliant | arn:aws:config:us-east-1:222222222222:config-rule/encrypted-volumes | pass
ec2-ebs-default-encryption-enabled | arn:aws::eu-west-1:111111111111:account-region | fail
ec2-ebs-default-encryption-enabled | arn:aws::eu-west-1:222222222222:account-region | pass
ec2-ebs-default-encryption-enabled | arn:aws::us-east-1:111111111111:account-region | pass
ec2-ebs-default-encryption-enabled | arn:aws::us-east-1:222222222222:account-region | pass
ec2-volume-encrypted | arn:aws:ec2:us-east-1:111111111111:volume/vol-0awsmgd03 | pass
ec2-volume-encrypted | arn:aws:ec2:us-east-1:111111111111:volume/vol-0enc0001 | pass
ec2-volume-encrypted | arn:aws:ec2:us-east-1:111111111111:volume/vol-0plain002 | fail
ec2-volume-encrypted | arn:aws:ec2:us-east-1:222222222222:volume/vol-0dev00001 | pass
elbv2-listener-http-redirects-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/443 | not_applicable
elbv2-listener-http-redirects-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/80 | fail
elbv2-listener-http-redirects-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/8443 | not_applicable
elbv2-listener-http-redirects-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/portal/abc/443 | not_applicable
elbv2-listener-http-redirects-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/portal/abc/80 | pass
elbv2-listener-http-rules-redirect-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/443 | not_applicable
elbv2-listener-http-rules-redirect-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/80 | pass
elbv2-listener-http-rules-redirect-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/8443 | not_applicable
elbv2-listener-http-rules-redirect-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/portal/abc/443 | not_applicable
elbv2-listener-http-rules-redirect-to-https | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/portal/abc/80 | pass
elbv2-listener-tls-policy-min-tls12 | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/443 | fail
elbv2-listener-tls-policy-min-tls12 | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/80 | not_applicable
elbv2-listener-tls-policy-min-tls12 | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/legacy/def/8443 | fail
elbv2-listener-tls-policy-min-tls12 | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/portal/abc/443 | pass
elbv2-listener-tls-policy-min-tls12 | arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/portal/abc/80 | not_applicable
iam-access-key-rotated | arn:aws:iam::111111111111:user/alice/access-key/1234 | pass
iam-access-key-rotated | arn:aws:iam::111111111111:user/bob/access-key/678X | fail
iam-access-key-rotated | arn:aws:iam::111111111111:user/bob/access-key/OLD9 | not_applicable
iam-access-key-rotated | arn:aws:iam::222222222222:user/ci/access-key/4321 | pass
iam-user-access-keys-rotated | arn:aws:iam::111111111111:user/alice | pass
iam-user-access-keys-rotated | arn:aws:iam::111111111111:user/bob | fail
iam-user-access-keys-rotated | arn:aws:iam::111111111111:user/carol | pass
iam-user-access-keys-rotated | arn:aws:iam::222222222222:user/ci | pass
kms-key-not-pending-deletion | arn:aws:kms:eu-west-1:111111111111:key/1111bbbb-0000-4000-8000-000000000001 | pass
kms-key-not-pending-deletion | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001 | pass
kms-key-not-pending-deletion | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000002 | pass
kms-key-not-pending-deletion | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000003 | not_applicable
kms-key-not-pending-deletion | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000004 | pass
kms-key-not-pending-deletion | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000005 | fail
kms-key-not-pending-deletion | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000006 | pass
kms-key-not-pending-deletion | arn:aws:kms:us-east-1:222222222222:key/2222aaaa-0000-4000-8000-000000000001 | not_applicable
kms-key-policy-no-wildcard-principal | arn:aws:kms:eu-west-1:111111111111:key/1111bbbb-0000-4000-8000-000000000001 | pass
kms-key-policy-no-wildcard-principal | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001 | pass
kms-key-policy-no-wildcard-principal | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000002 | fail
kms-key-policy-no-wildcard-principal | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000003 | not_applicable
kms-key-policy-no-wildcard-principal | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000004 | pass
kms-key-policy-no-wildcard-principal | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000005 | pass
kms-key-policy-no-wildcard-principal | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000006 | pass
kms-key-policy-no-wildcard-principal | arn:aws:kms:us-east-1:222222222222:key/2222aaaa-0000-4000-8000-000000000001 | not_applicable
kms-key-rotated-recently | arn:aws:kms:eu-west-1:111111111111:key/1111bbbb-0000-4000-8000-000000000001 | pass
kms-key-rotated-recently | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001 | pass
kms-key-rotated-recently | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000002 | fail
kms-key-rotated-recently | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000003 | not_applicable
kms-key-rotated-recently | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000004 | pass
kms-key-rotated-recently | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000005 | not_applicable
kms-key-rotated-recently | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000006 | not_applicable
kms-key-rotated-recently | arn:aws:kms:us-east-1:222222222222:key/2222aaaa-0000-4000-8000-000000000001 | not_applicable
kms-key-rotation-enabled | arn:aws:kms:eu-west-1:111111111111:key/1111bbbb-0000-4000-8000-000000000001 | pass
kms-key-rotation-enabled | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001 | pass
kms-key-rotation-enabled | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000002 | fail
kms-key-rotation-enabled | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000003 | not_applicable
kms-key-rotation-enabled | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000004 | pass
kms-key-rotation-enabled | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000005 | not_applicable
kms-key-rotation-enabled | arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000006 | not_applicable
kms-key-rotation-enabled | arn:aws:kms:us-east-1:222222222222:key/2222aaaa-0000-4000-8000-000000000001 | not_applicable
logs-log-group-kms-encrypted | arn:aws:logs:eu-west-1:111111111111:log-group:/eu/app | fail
logs-log-group-kms-encrypted | arn:aws:logs:us-east-1:111111111111:log-group:/app/debug | fail
logs-log-group-kms-encrypted | arn:aws:logs:us-east-1:111111111111:log-group:/app/portal | pass
logs-log-group-retention-minimum | arn:aws:logs:eu-west-1:111111111111:log-group:/eu/app | fail
logs-log-group-retention-minimum | arn:aws:logs:us-east-1:111111111111:log-group:/app/debug | pass
logs-log-group-retention-minimum | arn:aws:logs:us-east-1:111111111111:log-group:/app/portal | pass
rds-cluster-force-ssl | arn:aws:rds:us-east-1:111111111111:cluster:billing | pass
rds-cluster-storage-encrypted | arn:aws:rds:us-east-1:111111111111:cluster:billing | pass
rds-instance-ca-certificate-not-expiring | arn:aws:rds:us-east-1:111111111111:db:billing-1 | pass
rds-instance-ca-certificate-not-expiring | arn:aws:rds:us-east-1:111111111111:db:legacy-mysql | fail
rds-instance-ca-certificate-not-expiring | arn:aws:rds:us-east-1:111111111111:db:patients | pass
rds-instance-ca-certificate-not-expiring | arn:aws:rds:us-east-1:222222222222:db:dev-pg | pass
rds-instance-encrypted-with-cmk | arn:aws:rds:us-east-1:111111111111:db:billing-1 | fail
rds-instance-encrypted-with-cmk | arn:aws:rds:us-east-1:111111111111:db:legacy-mysql | not_applicable
rds-instance-encrypted-with-cmk | arn:aws:rds:us-east-1:111111111111:db:patients | pass
rds-instance-encrypted-with-cmk | arn:aws:rds:us-east-1:222222222222:db:dev-pg | fail
rds-instance-force-ssl | arn:aws:rds:us-east-1:111111111111:db:billing-1 | not_applicable
rds-instance-force-ssl | arn:aws:rds:us-east-1:111111111111:db:legacy-mysql | fail
rds-instance-force-ssl | arn:aws:rds:us-east-1:111111111111:db:patients | pass
rds-instance-force-ssl | arn:aws:rds:us-east-1:222222222222:db:dev-pg | fail
rds-instance-storage-encrypted | arn:aws:rds:us-east-1:111111111111:db:billing-1 | pass
rds-instance-storage-encrypted | arn:aws:rds:us-east-1:111111111111:db:legacy-mysql | fail
rds-instance-storage-encrypted | arn:aws:rds:us-east-1:111111111111:db:patients | pass
rds-instance-storage-encrypted | arn:aws:rds:us-east-1:222222222222:db:dev-pg | pass
rds-snapshot-encrypted | arn:aws:rds:us-east-1:111111111111:cluster-snapshot:billing-final | pass
rds-snapshot-encrypted | arn:aws:rds:us-east-1:111111111111:snapshot:patients-manual-1 | pass
rds-snapshot-encrypted | arn:aws:rds:us-east-1:111111111111:snapshot:rds:legacy-mysql-auto | fail
s3-bucket-access-logging-enabled | arn:aws:s3:::dev-scratch | fail
s3-bucket-access-logging-enabled | arn:aws:s3:::prod-audit-logs | pass
s3-bucket-access-logging-enabled | arn:aws:s3:::prod-eu-assets | fail
s3-bucket-access-logging-enabled | arn:aws:s3:::prod-eu-tls11 | pass
s3-bucket-default-encryption-kms | arn:aws:s3:::dev-scratch | pass
s3-bucket-default-encryption-kms | arn:aws:s3:::prod-audit-logs | pass
s3-bucket-default-encryption-kms | arn:aws:s3:::prod-eu-assets | fail
s3-bucket-default-encryption-kms | arn:aws:s3:::prod-eu-tls11 | pass
s3-bucket-encrypted-with-cmk | arn:aws:s3:::dev-scratch | fail
s3-bucket-encrypted-with-cmk | arn:aws:s3:::prod-audit-logs | pass
s3-bucket-encrypted-with-cmk | arn:aws:s3:::prod-eu-assets | not_applicable
s3-bucket-encrypted-with-cmk | arn:aws:s3:::prod-eu-tls11 | fail
s3-bucket-policy-denies-insecure-transport | arn:aws:s3:::dev-scratch | fail
s3-bucket-policy-denies-insecure-transport | arn:aws:s3:::prod-audit-logs | pass
s3-bucket-policy-denies-insecure-transport | arn:aws:s3:::prod-eu-assets | fail
s3-bucket-policy-denies-insecure-transport | arn:aws:s3:::prod-eu-tls11 | pass
s3-bucket-policy-min-tls12 | arn:aws:s3:::dev-scratch | fail
s3-bucket-policy-min-tls12 | arn:aws:s3:::prod-audit-logs | pass
s3-bucket-policy-min-tls12 | arn:aws:s3:::prod-eu-assets | fail
s3-bucket-policy-min-tls12 | arn:aws:s3:::prod-eu-tls11 | fail
secretsmanager-secret-encrypted-with-cmk | arn:aws:secretsmanager:eu-west-1:222222222222:secret:dev/token-AbCdEf | fail
secretsmanager-secret-encrypted-with-cmk | arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/api-token-AbCdEf | fail
secretsmanager-secret-encrypted-with-cmk | arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-password-AbCdEf | pass
secretsmanager-secret-rotation-enabled | arn:aws:secretsmanager:eu-west-1:222222222222:secret:dev/token-AbCdEf | fail
secretsmanager-secret-rotation-enabled | arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/api-token-AbCdEf | fail
secretsmanager-secret-rotation-enabled | arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-password-AbCdEf | pass
`
  .trim()
  .split("\n");

/** The organisation moved to GovCloud: its regions and every ARN (bucket policies, key policies) in aws-us-gov. */
function toGovCloud(text: string): string {
  return text
    .replaceAll("us-east-1", "us-gov-west-1")
    .replaceAll("eu-west-1", "us-gov-east-1")
    .replaceAll("arn:aws:", "arn:aws-us-gov:");
}

describe("cipherproof scan --aws --org against the stand-in organisation", () => {
  let standin: StandIn;
  let govcloud: StandIn;
  beforeAll(async () => {
    standin = await startStandIn({ fixture: orgFixture() });
    const file = join(tempDir(), "org-govcloud.json");
    writeFileSync(file, toGovCloud(readFileSync(ORG_FIXTURE, "utf8")));
    govcloud = await startStandIn({ fixture: loadFixture(file) });
  });
  afterAll(() => {
    standin.close();
    govcloud.close();
  });

  const scanOrg = (url: string, region: string) => {
    const home = tempDir();
    return runCliAsync(
      ["scan", "--aws", "--org", "--out", "-", "--format", "json"],
      cleanEnv(home, {
        AWS_ENDPOINT_URL: url,
        AWS_ACCESS_KEY_ID: MGMT.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MGMT.secretAccessKey,
        AWS_REGION: region,
      }),
      home,
    );
  };

  it("in GovCloud gives the same table, with aws-us-gov ARNs: a bucket policy naming arn:aws-us-gov:s3:::… covers the bucket", async () => {
    const r = await scanOrg(govcloud.url, "us-gov-west-1");
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as {
      findings: Array<{ policyId: string; resourceId: string; status: string }>;
    };
    const table = out.findings.map((f) => `${f.policyId} | ${f.resourceId} | ${f.status}`).sort();
    expect(table).toEqual(EXPECTED.map(toGovCloud).sort());
    // The member account was entered through a role ARN of the GovCloud partition.
    expect(govcloud.calls.get("sts:AssumeRole")).toBe(1);
  });

  it("matches the expected finding table exactly", async () => {
    const r = await scanOrg(standin.url, "us-east-1");
    expect(r.code, r.stderr).toBe(1); // violations exist
    const out = JSON.parse(r.stdout) as {
      findings: Array<{ policyId: string; resourceId: string; status: string }>;
      scan: {
        sources: Array<{
          kind: string;
          aws?: { accounts: string[]; regions: string[]; collectionErrors: number; failedCalls: number };
        }>;
      };
    };
    const table = out.findings.map((f) => `${f.policyId} | ${f.resourceId} | ${f.status}`).sort();
    expect(table).toEqual([...EXPECTED].sort());
    const src = out.scan.sources.find((s) => s.kind === "aws-api");
    expect(src?.aws).toMatchObject({
      accounts: ["111111111111", "222222222222"],
      regions: ["eu-west-1", "us-east-1"],
      collectionErrors: 0,
      failedCalls: 0,
    });
    // The suspended account is not entered; both active accounts were, through AssumeRole for the member.
    expect(standin.calls.get("sts:AssumeRole")).toBe(1);
    // Secrets never reach output.
    expect(r.stdout + r.stderr).not.toContain(MGMT.secretAccessKey);
    expect(r.stdout).not.toMatch(/AKIA(ALICE|BOB|CI)KEY/);
  });
});
