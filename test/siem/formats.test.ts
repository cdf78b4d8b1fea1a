import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/core/types.js";
import { buildEvents, scanContext, selected } from "../../src/siem/events.js";
import { cefFinding, cefHeader, cefValue } from "../../src/siem/formats/cef.js";
import { ecsFinding } from "../../src/siem/formats/ecs.js";
import { hecEnvelope } from "../../src/siem/formats/hec.js";
import { FORMATTERS } from "../../src/siem/formats/index.js";
import { OCSF_VERSION, ocsfFinding } from "../../src/siem/formats/ocsf.js";
import { rfc5424Finding, sdValue } from "../../src/siem/formats/rfc5424.js";
import { eventSyslog } from "../../src/siem/sinks/sink.js";
import { ALL_STATUSES, finding, scanResultOf } from "./support/fixtures.js";

const ocsfDir = join(import.meta.dirname, "ocsf");
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
const validateFinding = ajv.compile(
  JSON.parse(readFileSync(join(ocsfDir, "compliance_finding.schema.json"), "utf8")),
);
const validateScan = ajv.compile(
  JSON.parse(readFileSync(join(ocsfDir, "scan_activity.schema.json"), "utf8")),
);

const result = scanResultOf([finding()]);
const ctx = scanContext(result, { host: "scanner-1.example.com", pid: 4242, events: "all" });
ctx.policies["rds-instance-storage-encrypted"] = {
  title: "RDS DB instances encrypt storage at rest",
  description: "Storage of every RDS instance is encrypted with KMS.",
  remediation: "Restore from an encrypted snapshot copy.",
  references: ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html"],
};

const endpointFinding: Finding = finding({
  policyId: "endpoint-tls-min-version",
  resourceId: "tls://portal.example.com:443",
  resourceType: "endpoint.tls",
  category: "in-transit",
  resource: { name: "portal.example.com:443", source: "endpoint" },
  controls: {},
});

function errorsOf(v: typeof validateFinding): string {
  return ajv.errorsText(v.errors, { separator: "\n" });
}

describe("OCSF", () => {
  it.each(ALL_STATUSES)(
    "a %s finding validates against the OCSF 1.7.0 compliance_finding schema",
    (status) => {
      const f = finding({
        status,
        waiver:
          status === "waived"
            ? {
                policy: "x",
                resource: "*",
                reason: "r",
                owner: "o",
                ticket: "T-1",
                expires: "2027-01-01",
                expired: false,
              }
            : undefined,
      });
      const e = ocsfFinding(f, ctx);
      expect(validateFinding(e), errorsOf(validateFinding)).toBe(true);
    },
  );

  it("maps class, activity, severity, compliance, finding_info, resources, cloud, time and metadata", () => {
    const f = finding({ n: 3, severity: "high" });
    const e = ocsfFinding(f, ctx) as Record<string, any>;
    expect(e).toMatchObject({
      class_uid: 2003,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200301,
      severity_id: 4,
      status_id: 1,
    });
    expect(e.time).toBe(Date.parse(f.evaluatedAt));
    expect(e.compliance).toMatchObject({
      control: "rds-instance-storage-encrypted",
      standards: ["HIPAA Security Rule", "PCI DSS 4.0"],
      requirements: ["hipaa:164.312(a)(2)(iv)", "pci-dss-4:3.5.1"],
      status_id: 3,
      status: "Fail",
    });
    expect(e.finding_info).toMatchObject({
      uid: f.id,
      title: f.title,
      desc: f.message,
      types: ["Compliance", "at-rest"],
    });
    expect(e.resources).toEqual([
      {
        uid: f.resourceId,
        name: "patients-3",
        type: "aws.rds.db_instance",
        role_id: 1,
        role: "Target",
        region: "us-east-1",
        cloud_partition: "aws",
        owner: { account: { uid: "111122223333", type_id: 10 } },
      },
    ]);
    expect(e.cloud).toEqual({
      provider: "AWS",
      region: "us-east-1",
      account: { uid: "111122223333", type_id: 10 },
    });
    expect(e.metadata).toMatchObject({
      product: { name: "Cipherproof", vendor_name: "Cipherproof", version: "0.1.0" },
      version: OCSF_VERSION,
      uid: `${f.id}:${ctx.scanId}`,
    });
    expect(e.remediation.desc).toMatch(/encrypted snapshot/);
  });

  it("maps statuses to compliance.status_id and severity to severity_id", () => {
    const status = Object.fromEntries(
      ALL_STATUSES.map((s) => [s, (ocsfFinding(finding({ status: s }), ctx) as any).compliance.status_id]),
    );
    expect(status).toEqual({ pass: 1, fail: 3, error: 2, not_applicable: 99, waived: 3 });
    expect((ocsfFinding(finding({ status: "waived" }), ctx) as any).status_id).toBe(3);
    const sev = ["info", "low", "medium", "high", "critical"].map(
      (s) => (ocsfFinding(finding({ severity: s as Finding["severity"] }), ctx) as any).severity_id,
    );
    expect(sev).toEqual([1, 2, 3, 4, 5]);
  });

  it("an endpoint finding (no account, no region, no ARN) validates too", () => {
    const e = ocsfFinding(endpointFinding, ctx) as Record<string, any>;
    expect(validateFinding(e), errorsOf(validateFinding)).toBe(true);
    expect(e.resources[0]).toEqual({
      uid: "tls://portal.example.com:443",
      name: "portal.example.com:443",
      type: "endpoint.tls",
      role_id: 1,
      role: "Target",
    });
  });

  it("the schema test data really rejects broken events", () => {
    const good = ocsfFinding(finding(), ctx) as Record<string, any>;
    const broken = [
      { ...good, class_uid: 2004 },
      { ...good, type_uid: 200401 },
      { ...good, severity_id: 7 },
      { ...good, time: "2026-11-22T10:00:00Z" },
      { ...good, finding_info: { title: "no uid" } },
      { ...good, compliance: { ...good.compliance, status_id: 4 } },
      { ...good, metadata: { product: good.metadata.product } },
      { ...good, resources: [{ region: "us-east-1" }] },
      { ...good, unknown_attribute: 1 },
      Object.fromEntries(Object.entries(good).filter(([k]) => k !== "cloud")),
    ];
    for (const b of broken) expect(validateFinding(b)).toBe(false);
  });

  it("scan started and completed are OCSF Scan Activity events that validate", () => {
    const started = FORMATTERS.ocsf.scanStarted(ctx) as Record<string, any>;
    const completed = FORMATTERS.ocsf.scanCompleted(ctx) as Record<string, any>;
    expect(validateScan(started), errorsOf(validateScan)).toBe(true);
    expect(validateScan(completed), errorsOf(validateScan)).toBe(true);
    expect(started).toMatchObject({
      class_uid: 6007,
      activity_id: 1,
      type_uid: 600701,
      scan: { uid: ctx.scanId },
    });
    expect(completed).toMatchObject({ activity_id: 2, type_uid: 600702, total: 1, num_detections: 1 });
  });
});

describe("ECS", () => {
  it("has the ECS fields for a configuration state document", () => {
    const f = finding({ n: 1 });
    const e = ecsFinding(f, ctx) as Record<string, any>;
    expect(e["@timestamp"]).toBe(f.evaluatedAt);
    expect(e.message).toBe(f.message);
    expect(e.event).toMatchObject({
      id: `${f.id}:${ctx.scanId}`,
      kind: "state",
      category: ["configuration"],
      type: ["info"],
      outcome: "failure",
    });
    expect(e.rule).toMatchObject({
      id: "rds-instance-storage-encrypted",
      name: f.title,
      description: "Storage of every RDS instance is encrypted with KMS.",
      category: "at-rest",
      ruleset: "cipherproof",
      reference: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
    });
    expect(e.cloud).toEqual({ provider: "aws", account: { id: "111122223333" }, region: "us-east-1" });
    expect(e.observer).toMatchObject({
      vendor: "Cipherproof",
      product: "Cipherproof",
      type: "scanner",
      hostname: "scanner-1.example.com",
    });
    expect(e.resource).toMatchObject({ id: f.resourceId, name: "patients-1", type: "aws.rds.db_instance" });
  });

  it("maps outcome: pass success, fail failure, error and not_applicable unknown", () => {
    const outcomes = ALL_STATUSES.map((s) => (ecsFinding(finding({ status: s }), ctx) as any).event.outcome);
    expect(outcomes).toEqual(["success", "failure", "unknown", "unknown", "failure"]);
  });
});

describe("CEF", () => {
  it("escapes pipes and backslashes in the header, equals signs, backslashes and newlines in extensions", () => {
    const f = finding({
      policyId: "pol|icy\\x",
      title: "Title with | pipe and \\ backslash\nand newline",
      message: "a=b | c\\d\ne\rf",
      resourceId: "arn:aws:s3:::bucket=with|pipe",
    });
    const line = cefFinding(f, ctx);
    const header =
      "CEF:0|Cipherproof|Cipherproof|0.1.0|pol\\|icy\\\\x|Title with \\| pipe and \\\\ backslash and newline|1|";
    expect(line.startsWith(header)).toBe(true);
    const ext = line.slice(header.length);
    expect(ext).toContain("msg=a\\=b | c\\\\d\\ne\\rf");
    expect(ext).toContain("cs1=arn:aws:s3:::bucket\\=with|pipe");
    expect(line).not.toMatch(/[\r\n]/);
    // Every extension value splits back unambiguously on unescaped " key=" boundaries.
    const pairs = ext.split(/ (?=[A-Za-z0-9]+=)/).map((p) => p.slice(0, p.search(/(?<!\\)=/)));
    expect(pairs).toEqual([
      "rt",
      "externalId",
      "msg",
      "cat",
      "outcome",
      "dvchost",
      "cs1Label",
      "cs1",
      "cs2Label",
      "cs2",
      "cs3Label",
      "cs3",
      "cs4Label",
      "cs4",
      "cs5Label",
      "cs5",
      "cs6Label",
      "cs6",
      "flexString1Label",
      "flexString1",
      "flexString2Label",
      "flexString2",
    ]);
  });

  it("escape helpers follow the CEF rules exactly", () => {
    expect(cefHeader("a|b\\c=d")).toBe("a\\|b\\\\c=d");
    expect(cefValue("a|b\\c=d\ne\r")).toBe("a|b\\\\c\\=d\\ne\\r");
  });

  it("header severity is 0-10 and the id and time are in the extension", () => {
    const line = cefFinding(finding({ severity: "critical" }), ctx);
    expect(line.split("|")[6]).toBe("10");
    expect(line).toContain(`rt=${Date.parse("2026-11-22T10:00:00.000Z")}`);
    expect(line).toContain(`externalId=${finding().id}:${ctx.scanId}`);
  });
});

describe("RFC 5424", () => {
  it("has PRI, version 1, timestamp, hostname, app-name, procid, msgid and an enterprise SD-ID", () => {
    const msg = rfc5424Finding(finding({ severity: "high" }), ctx);
    const m = /^<(\d+)>1 (\S+) (\S+) (\S+) (\S+) (\S+) \[(cipherproof@32473) (.*?)\] (.*)$/.exec(msg);
    expect(m, msg).not.toBeNull();
    expect(Number(m![1])).toBe(13 * 8 + 3);
    expect(m![2]).toBe("2026-11-22T10:00:00.000Z");
    expect(m!.slice(3, 6)).toEqual(["scanner-1.example.com", "cipherproof", "4242"]);
    expect(m![6]).toBe("FINDING");
    expect(m![8]).toContain(`findingId="${finding().id}"`);
  });

  it('escapes ", \\ and ] in SD-PARAM values', () => {
    expect(sdValue('a"b\\c]d')).toBe('a\\"b\\\\c\\]d');
    const msg = rfc5424Finding(finding({ resourceId: 'weird"id\\with]chars' }), ctx);
    expect(msg).toContain('resource="weird\\"id\\\\with\\]chars"');
  });

  it("wraps other formats as the MSG of a cipherproof message with the event id", () => {
    const [ev] = buildEvents([finding()], ctx, "ocsf").filter((e) => e.kind === "finding");
    const msg = eventSyslog(ev, { host: "h", pid: 1 }, {});
    expect(msg).toMatch(
      /^<\d+>1 \S+ h cipherproof 1 OCSF \[cipherproof@32473 eventId="[^"]+" kind="finding"\] \{/,
    );
    expect(JSON.parse(msg.slice(msg.indexOf("] ") + 2))).toEqual(ev.body);
  });
});

describe("Splunk HEC envelope", () => {
  it("has time in fractional seconds, host, source, sourcetype, index and the event", () => {
    const [ev] = buildEvents([finding()], ctx, "ocsf").filter((e) => e.kind === "finding");
    const env = hecEnvelope({ ...ev, time: 1795341600123 }, "scanner-1", { index: "security" });
    expect(env).toEqual({
      time: 1795341600.123,
      host: "scanner-1",
      source: "cipherproof",
      sourcetype: "ocsf:cipherproof",
      index: "security",
      event: ev.body,
    });
  });

  it("the hec format is the envelope around the OCSF event", () => {
    const e = FORMATTERS.hec.finding(finding(), ctx) as Record<string, any>;
    expect(e.sourcetype).toBe("ocsf:cipherproof");
    expect(validateFinding(e.event), errorsOf(validateFinding)).toBe(true);
    expect(e.time).toBe(Date.parse("2026-11-22T10:00:00.000Z") / 1000);
  });
});

describe("event selection", () => {
  it("failures means fail and error; all means every finding; scan started and completed frame them", () => {
    const fs = ALL_STATUSES.map((s, n) => finding({ n, status: s }));
    expect(fs.filter((f) => selected(f, "failures")).map((f) => f.status)).toEqual(["fail", "error"]);
    const r = scanResultOf(fs);
    const c = scanContext(r, { host: "h", pid: 1, events: "failures" });
    const evs = buildEvents(fs, c, "ecs");
    expect(evs.map((e) => e.kind)).toEqual(["scan_started", "finding", "finding", "scan_completed"]);
    expect(new Set(evs.map((e) => e.id)).size).toBe(evs.length);
    const done = evs[3].body as Record<string, any>;
    expect(done.cipherproof.counts).toMatchObject({
      total: 5,
      pass: 1,
      fail: 1,
      error: 1,
      not_applicable: 1,
      waived: 1,
    });
    expect(done.cipherproof.delivered_findings).toBe(2);
    expect(buildEvents(fs, { ...c, events: "all" }, "cef")).toHaveLength(7);
  });
});
