import { describe, expect, it } from "vitest";
import { ACCOUNT, ci, expectValidDocuments, mapItems, only } from "./fixtures.js";

const ARN = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/8d1e3f5a-7b9c-4d2e-a6f8-0b1c2d3e4f5a`;
const cert = (over: Record<string, unknown> = {}) =>
  ci(
    "AWS::ACM::Certificate",
    ARN,
    {
      certificateArn: ARN,
      domainName: "api.example.com",
      subjectAlternativeNames: ["api.example.com"],
      status: "ISSUED",
      notBefore: "2025-12-02T00:00:00.000Z",
      notAfter: "2026-12-02T23:59:59.000Z",
      keyAlgorithm: "RSA-2048",
      signatureAlgorithm: "SHA256WITHRSA",
      inUseBy: [`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/api/1`],
      type: "IMPORTED",
      renewalEligibility: "INELIGIBLE",
      ...over,
    },
    { ARN, resourceName: "api.example.com" },
  );

describe("AWS::ACM::Certificate → aws.acm.certificate", () => {
  it("maps an imported certificate expiring in ten days, normalizing RSA-2048", () => {
    const r = mapItems(cert());
    const doc = only(r, "aws.acm.certificate");
    expect(doc.properties).toEqual({
      domainName: "api.example.com",
      subjectAlternativeNames: ["api.example.com"],
      status: "ISSUED",
      certificateType: "IMPORTED",
      notAfter: "2026-12-02T23:59:59.000Z",
      daysUntilExpiry: 10,
      keyAlgorithm: "RSA_2048",
      keyBits: 2048,
      signatureAlgorithm: "SHA256WITHRSA",
      inUse: true,
      renewalEligible: false,
    });
    expect(doc.missing).toEqual({});
    expectValidDocuments(r.resources);
  });

  it("an expired certificate has negative days; EC keys get their curve size; epoch dates are read", () => {
    const doc = only(
      mapItems(cert({ notAfter: 1763683200, keyAlgorithm: "EC-secp384r1", inUseBy: [] })),
      "aws.acm.certificate",
    );
    expect(doc.properties).toMatchObject({
      notAfter: "2025-11-21T00:00:00.000Z",
      daysUntilExpiry: -367,
      keyAlgorithm: "EC_secp384r1",
      keyBits: 384,
      inUse: false,
    });
  });

  it("a certificate still pending validation has no expiry; an issued one without notAfter is missing", () => {
    const pending = only(
      mapItems(cert({ status: "PENDING_VALIDATION", notAfter: null })),
      "aws.acm.certificate",
    );
    expect(pending.properties).toMatchObject({ notAfter: null, daysUntilExpiry: null });
    const issued = only(mapItems(cert({ notAfter: undefined })), "aws.acm.certificate");
    expect(issued.missing).toHaveProperty("daysUntilExpiry");
    expectValidDocuments([pending, issued]);
  });
});
