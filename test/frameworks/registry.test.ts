import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CipherproofError, CipherproofErrors } from "../../src/core/errors.js";
import {
  checkFrameworkReferences,
  controlIndex,
  type Framework,
  type FrameworkControl,
  parseFramework,
  rollUpControls,
} from "../../src/core/frameworks/index.js";
import { parseJson } from "../../src/core/json.js";
import type { Finding, Status } from "../../src/core/types.js";
import { loadFrameworks } from "../../src/loaders/frameworks.js";
import { BUILTIN_POLICY_DIR, loadPolicies, policyFiles } from "../../src/loaders/policies.js";
import { readText } from "../../src/loaders/read.js";

const FRAMEWORK_DIR = join(BUILTIN_POLICY_DIR, "frameworks");
const FRAMEWORK_IDS = ["hipaa", "nist-800-53", "pci-dss", "soc2"] as const;
type FrameworkId = (typeof FRAMEWORK_IDS)[number];

function readFramework(id: string): Framework {
  const file = join(FRAMEWORK_DIR, `${id}.json`);
  return parseFramework(parseJson(readText(file, "framework file"), file), file);
}

function referencedPolicies(fw: Framework): string[] {
  return [...new Set(fw.controls.flatMap((c) => c.policies))].sort();
}

// Every policy in the built-in pack; HIPAA, SOC 2 and NIST reference all of them.
const ALL_POLICIES = [
  "acm-certificate-not-expiring-soon",
  "acm-certificate-strong-key",
  "cloudtrail-trail-kms-encrypted",
  "cloudtrail-trail-log-file-validation-enabled",
  "cloudtrail-trail-logging-enabled",
  "cloudtrail-trail-multi-region-enabled",
  "config-recorder-recording-all-resources",
  "config-rule-compliant",
  "ec2-ebs-default-encryption-enabled",
  "ec2-volume-encrypted",
  "elbv2-listener-http-redirects-to-https",
  "elbv2-listener-http-rules-redirect-to-https",
  "elbv2-listener-tls-policy-min-tls12",
  "endpoint-http-hsts-enabled",
  "endpoint-http-redirects-to-https",
  "endpoint-postgres-plaintext-refused",
  "endpoint-smtp-starttls-enabled",
  "endpoint-tls-certificate-hostname-match",
  "endpoint-tls-certificate-lifetime-max",
  "endpoint-tls-certificate-not-expiring",
  "endpoint-tls-certificate-rsa-key-strong",
  "endpoint-tls-certificate-signature-sha256",
  "endpoint-tls-certificate-trusted",
  "endpoint-tls-forward-secrecy",
  "endpoint-tls-key-exchange-strong",
  "endpoint-tls-no-weak-cipher-suites",
  "endpoint-tls-protocol-min-tls12",
  "endpoint-tls-tls13-offered",
  "iam-access-key-rotated",
  "iam-user-access-keys-rotated",
  "kms-key-not-pending-deletion",
  "kms-key-policy-no-wildcard-principal",
  "kms-key-rotated-recently",
  "kms-key-rotation-enabled",
  "logs-log-group-kms-encrypted",
  "logs-log-group-retention-minimum",
  "rds-cluster-force-ssl",
  "rds-cluster-storage-encrypted",
  "rds-instance-ca-certificate-not-expiring",
  "rds-instance-encrypted-with-cmk",
  "rds-instance-force-ssl",
  "rds-instance-storage-encrypted",
  "rds-snapshot-encrypted",
  "s3-bucket-access-logging-enabled",
  "s3-bucket-default-encryption-kms",
  "s3-bucket-encrypted-with-cmk",
  "s3-bucket-policy-denies-insecure-transport",
  "s3-bucket-policy-min-tls12",
  "secretsmanager-secret-encrypted-with-cmk",
  "secretsmanager-secret-rotation-enabled",
];

/** Pinned: the policy ids each framework references. Any change to a mapping shows up here as a diff. */
const PINNED_POLICIES: Record<FrameworkId, string[]> = {
  hipaa: ALL_POLICIES,
  soc2: ALL_POLICIES,
  "nist-800-53": ALL_POLICIES,
  // A key scheduled for deletion may be a deliberate retirement under 3.7.5, so it is not PCI evidence.
  "pci-dss": ALL_POLICIES.filter((p) => p !== "kms-key-not-pending-deletion"),
};

/** Pinned: the control ids of each framework, in file order. */
const PINNED_CONTROLS: Record<FrameworkId, string[]> = {
  hipaa: [
    "164.308(a)(1)(ii)(A)",
    "164.308(a)(1)(ii)(D)",
    "164.308(a)(5)(ii)(C)",
    "164.308(a)(5)(ii)(D)",
    "164.308(a)(6)(ii)",
    "164.308(a)(7)(i)",
    "164.310(d)(2)(iii)",
    "164.312(a)(2)(iv)",
    "164.312(b)",
    "164.312(c)(1)",
    "164.312(c)(2)",
    "164.312(d)",
    "164.312(e)(1)",
    "164.312(e)(2)(i)",
    "164.312(e)(2)(ii)",
  ],
  soc2: ["CC6.1", "CC6.2", "CC6.3", "CC6.6", "CC6.7", "CC7.1", "CC7.2", "CC7.3", "CC8.1"],
  "pci-dss": [
    "3.5.1",
    "3.5.1.2",
    "3.6.1",
    "3.7.1",
    "3.7.4",
    "4.2.1",
    "4.2.1.1",
    "8.3.2",
    "8.6.3",
    "10.2.1",
    "10.2.1.1",
    "10.2.1.2",
    "10.3.1",
    "10.3.2",
    "10.3.3",
    "10.3.4",
    "10.4.1",
    "10.5.1",
    "10.7.2",
  ],
  "nist-800-53": [
    "AU-2",
    "AU-6",
    "AU-9",
    "AU-9(3)",
    "AU-11",
    "AU-12",
    "CM-8",
    "IA-5",
    "SC-8",
    "SC-8(1)",
    "SC-12",
    "SC-12(1)",
    "SC-13",
    "SC-17",
    "SC-23",
    "SC-28",
    "SC-28(1)",
  ],
};

/** Pinned: controls with no automated evidence at all; they can only ever roll up to no_automated_evidence. */
const PINNED_MANUAL_ONLY: Record<FrameworkId, string[]> = {
  hipaa: [
    "164.308(a)(1)(ii)(A)",
    "164.308(a)(6)(ii)",
    "164.308(a)(7)(i)",
    "164.310(d)(2)(iii)",
    "164.312(c)(2)",
  ],
  soc2: ["CC6.2", "CC6.3", "CC7.3"],
  "pci-dss": ["3.5.1.2", "3.7.1", "4.2.1.1", "10.3.2", "10.4.1"],
  "nist-800-53": ["AU-6"],
};

describe("built-in framework registry", () => {
  it("holds exactly the four framework files, each named after its id", () => {
    const names = readdirSync(FRAMEWORK_DIR)
      .filter((n) => n.endsWith(".json"))
      .map((n) => basename(n, ".json"))
      .sort();
    expect(names).toEqual([...FRAMEWORK_IDS]);
    for (const id of FRAMEWORK_IDS) expect(readFramework(id).id).toBe(id);
  });

  it("loads through loadFrameworks with every file recorded", () => {
    const { frameworks, files } = loadFrameworks([]);
    expect(frameworks.map((f) => f.id).sort()).toEqual([...FRAMEWORK_IDS]);
    for (const id of FRAMEWORK_IDS)
      expect(files.get(id)).toMatch(new RegExp(`frameworks[\\\\/]${id}\\.json$`));
  });

  describe.each(FRAMEWORK_IDS)("%s", (id) => {
    const fw = readFramework(id);

    it("validates and names its source and version", () => {
      expect(fw.version.length).toBeGreaterThan(0);
      expect(fw.url).toMatch(/^https:\/\//);
    });

    it("references exactly the pinned policy ids", () => {
      expect(referencedPolicies(fw)).toEqual(PINNED_POLICIES[id]);
    });

    it("has exactly the pinned controls", () => {
      expect(fw.controls.map((c) => c.id)).toEqual(PINNED_CONTROLS[id]);
    });

    it("marks exactly the pinned controls as manual-only, each saying what an auditor asks for", () => {
      const manualOnly = fw.controls.filter((c) => c.policies.length === 0);
      expect(manualOnly.map((c) => c.id)).toEqual(PINNED_MANUAL_ONLY[id]);
      for (const c of manualOnly) expect(c.manualEvidence, `${id} ${c.id}`).toBeTruthy();
    });

    it("lists each control's policies sorted, so mapping diffs stay readable", () => {
      for (const c of fw.controls) expect(c.policies, `${id} ${c.id}`).toEqual([...c.policies].sort());
    });
  });

  it("maps every built-in policy to a control in at least two frameworks", () => {
    const frameworks = FRAMEWORK_IDS.map(readFramework);
    const builtin = policyFiles(BUILTIN_POLICY_DIR)
      .map((f) => basename(f, ".json"))
      .sort();
    expect(builtin).toEqual(ALL_POLICIES);
    const index = controlIndex(frameworks);
    const thin = builtin.filter((p) => Object.keys(index.get(p) ?? {}).length < 2);
    expect(thin).toEqual([]);
  });

  it("stamps findings with the controls of every framework a policy maps to", () => {
    const index = controlIndex(FRAMEWORK_IDS.map(readFramework));
    expect(index.get("rds-instance-storage-encrypted")).toEqual({
      hipaa: ["164.312(a)(2)(iv)"],
      "nist-800-53": ["SC-28", "SC-28(1)"],
      "pci-dss": ["3.5.1"],
      soc2: ["CC6.1"],
    });
    expect(index.get("kms-key-not-pending-deletion")?.["pci-dss"]).toBeUndefined();
  });

  it("reads a frameworks folder given twice (or through a symlink) once", () => {
    const dir = mkdtempSync(join(tmpdir(), "cipherproof-fw-"));
    mkdirSync(join(dir, "frameworks"));
    const fw = JSON.parse(readFileSync(join(BUILTIN_POLICY_DIR, "frameworks", "soc2.json"), "utf8"));
    writeFileSync(join(dir, "frameworks", "mine.json"), JSON.stringify({ ...fw, id: "mine" }));
    symlinkSync(dir, `${dir}-link`);
    const { frameworks } = loadFrameworks([dir, dir, `${dir}-link`], false);
    expect(frameworks.map((f) => f.id)).toEqual(["mine"]);
  });

  it("references only policies that exist in the built-in pack", () => {
    const { frameworks, files } = loadFrameworks([]);
    const ids = new Set(loadPolicies().map((p) => p.id));
    expect(() => checkFrameworkReferences(frameworks, ids, files)).not.toThrow();
  });
});

describe("checkFrameworkReferences", () => {
  const fake: Framework = {
    id: "fake",
    title: "Fake framework",
    version: "1",
    controls: [
      {
        id: "F-1",
        title: "Known",
        summary: "Maps a real policy.",
        policies: ["rds-instance-storage-encrypted"],
      },
      {
        id: "F-2",
        title: "Dangling",
        summary: "Maps a policy nobody wrote.",
        policies: ["rds-instance-storage-encrypted", "no-such-policy"],
      },
    ],
  };
  const files = new Map([["fake", "custom/frameworks/fake.json"]]);

  it("rejects a dangling policy id, naming the control, the file and the pointer", () => {
    let thrown: unknown;
    try {
      checkFrameworkReferences([fake], new Set(["rds-instance-storage-encrypted"]), files);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CipherproofError);
    const err = thrown as CipherproofError;
    expect(err.code).toBe("FRAMEWORK_INVALID");
    expect(err.message).toContain("F-2");
    expect(err.message).toContain('"no-such-policy"');
    expect(err.location).toEqual({ file: "custom/frameworks/fake.json", pointer: "/controls/1/policies/1" });
  });

  it("reports every dangling id at once", () => {
    const both: Framework = {
      ...fake,
      controls: [{ ...fake.controls[0], policies: ["gone-1"] }, fake.controls[1]],
    };
    let thrown: unknown;
    try {
      checkFrameworkReferences([both], new Set(["rds-instance-storage-encrypted"]), files);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CipherproofErrors);
    expect((thrown as CipherproofErrors).errors.map((e) => e.location.pointer)).toEqual([
      "/controls/0/policies/0",
      "/controls/1/policies/1",
    ]);
  });

  it("accepts a framework whose ids all resolve", () => {
    expect(() =>
      checkFrameworkReferences([fake], new Set(["rds-instance-storage-encrypted", "no-such-policy"]), files),
    ).not.toThrow();
  });
});

describe("rollUpControls", () => {
  const control = (id: string, policies: string[], manualEvidence?: string): FrameworkControl => ({
    id,
    title: id,
    summary: `control ${id}`,
    policies,
    ...(manualEvidence ? { manualEvidence } : {}),
  });
  const fw: Framework = {
    id: "test-fw",
    title: "Roll-up test framework",
    version: "1",
    controls: [
      control("C-AB", ["policy-a", "policy-b"]),
      control("C-B", ["policy-b"], "Show the quarterly review records."),
      control("C-NONE", [], "Manual only."),
    ],
  };

  let n = 0;
  const finding = (policyId: string, status: Status): Finding => {
    n++;
    return {
      id: `f${n}`,
      policyId,
      resourceId: `arn:aws:test:::res-${n}`,
      resourceType: "aws.test.thing",
      status,
      severity: "high",
      category: "at-rest",
      title: `${policyId} title`,
      message: `${policyId} ${status}`,
      details: [],
      controls: {},
      resource: { name: `res-${n}`, source: "fixture" },
      evaluatedAt: "2026-11-22T10:00:00.000Z",
    };
  };
  const statusOf = (findings: Finding[], controlId: string) => {
    const row = rollUpControls(fw, findings).find((r) => r.control.id === controlId);
    if (!row) throw new Error(`no row for ${controlId}`);
    return row;
  };

  it("fails a control when any mapped finding fails, even among passes and errors", () => {
    const r = statusOf(
      [finding("policy-a", "pass"), finding("policy-b", "error"), finding("policy-b", "fail")],
      "C-AB",
    );
    expect(r.status).toBe("fail");
    expect(r.counts).toEqual({ pass: 1, fail: 1, error: 1, waived: 0, not_applicable: 0 });
  });

  it("is error, not pass, when evidence for a mapped policy was missing", () => {
    expect(statusOf([finding("policy-a", "pass"), finding("policy-b", "error")], "C-AB").status).toBe(
      "error",
    );
  });

  it("passes when something was evaluated and everything evaluated held", () => {
    expect(
      statusOf([finding("policy-a", "pass"), finding("policy-b", "not_applicable")], "C-AB").status,
    ).toBe("pass");
  });

  it("counts a waived finding as held", () => {
    const r = statusOf([finding("policy-b", "waived")], "C-B");
    expect(r.status).toBe("pass");
    expect(r.counts.waived).toBe(1);
  });

  it("says no automated evidence when only not_applicable findings exist", () => {
    const r = statusOf(
      [finding("policy-a", "not_applicable"), finding("policy-b", "not_applicable")],
      "C-AB",
    );
    expect(r.status).toBe("no_automated_evidence");
    expect(r.counts.not_applicable).toBe(2);
  });

  it("says no automated evidence, never pass, when no mapped policy produced a finding", () => {
    expect(statusOf([finding("unrelated-policy", "pass")], "C-AB").status).toBe("no_automated_evidence");
    expect(statusOf([], "C-B").status).toBe("no_automated_evidence");
  });

  it("never passes a manual-only control, and flags manual controls", () => {
    const rows = rollUpControls(fw, [finding("policy-a", "pass"), finding("policy-b", "pass")]);
    expect(rows.map((r) => [r.control.id, r.status, r.manual])).toEqual([
      ["C-AB", "pass", false],
      ["C-B", "pass", true],
      ["C-NONE", "no_automated_evidence", true],
    ]);
    expect(rows.every((r) => r.framework === "test-fw")).toBe(true);
  });

  it("never rolls a built-in control up to pass without a pass or waived finding", () => {
    const statuses: Status[] = ["fail", "error", "not_applicable"];
    for (const id of FRAMEWORK_IDS) {
      const real = readFramework(id);
      for (const status of statuses) {
        const findings = ALL_POLICIES.map((p) => finding(p, status));
        for (const row of rollUpControls(real, findings)) {
          expect(row.status, `${id} ${row.control.id} with only ${status}`).not.toBe("pass");
        }
      }
    }
  });
});
