import {
  ACMClient,
  type CertificateDetail,
  DescribeCertificateCommand,
  ListCertificatesCommand,
} from "@aws-sdk/client-acm";
import { keyBitsOf, normalizeKeyAlgorithm } from "../aws-config-snapshot/map-acm-certificate.js";
import type { RegionContext } from "./context.js";
import { daysUntil, iso } from "./document.js";
import { mapLimit } from "./each.js";

const TYPE = "aws.acm.certificate";
const KEY_TYPES = [
  "RSA_1024",
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "EC_prime256v1",
  "EC_secp384r1",
  "EC_secp521r1",
] as const;
const DETAIL_PROPS = [
  "domainName",
  "subjectAlternativeNames",
  "status",
  "certificateType",
  "notAfter",
  "daysUntilExpiry",
  "keyAlgorithm",
  "keyBits",
  "signatureAlgorithm",
  "inUse",
  "renewalEligible",
];

/** Collect ACM certificates of every key type and status (ListCertificates, DescribeCertificate). */
export async function collectAcm(ctx: RegionContext): Promise<void> {
  const acm = ctx.client(ACMClient);
  const listed = await ctx.paginate(
    "acm:ListCertificates",
    (NextToken, abortSignal) =>
      acm.send(
        new ListCertificatesCommand({ NextToken, MaxItems: 1000, Includes: { keyTypes: [...KEY_TYPES] } }),
        { abortSignal },
      ),
    (p) => p.CertificateSummaryList,
    (p) => p.NextToken,
  );
  if (!listed.ok) {
    ctx.listFailed([TYPE], listed.reason);
    return;
  }
  await mapLimit(listed.items, async (s) => {
    const arn = s.CertificateArn ?? "";
    const b = ctx.doc(TYPE, arn, s.DomainName ?? arn).cite(listed.evidence[0]);
    const d = await ctx.call("acm:DescribeCertificate", (abortSignal) =>
      acm.send(new DescribeCertificateCommand({ CertificateArn: arn }), { abortSignal }),
    );
    const c: CertificateDetail | undefined = d.ok ? d.value.Certificate : undefined;
    if (!d.ok || !c) {
      b.miss(
        DETAIL_PROPS,
        d.ok
          ? "malformed response on acm:DescribeCertificate"
          : d.absent
            ? `${d.code} on acm:DescribeCertificate`
            : d.reason,
      );
      ctx.emit(b);
      return;
    }
    // DescribeCertificate spells key algorithms RSA-2048 / EC-prime256v1; the schema (and ListCertificates) use the
    // API enum's RSA_2048 / EC_prime256v1.
    const algorithm = c.KeyAlgorithm ? normalizeKeyAlgorithm(c.KeyAlgorithm) : undefined;
    b.cite(d.evidence)
      .set("domainName", c.DomainName ?? s.DomainName ?? "")
      .set("subjectAlternativeNames", c.SubjectAlternativeNames ?? [])
      .set("status", c.Status ?? "")
      .set("certificateType", c.Type)
      .set("notAfter", iso(c.NotAfter))
      .set("daysUntilExpiry", c.NotAfter ? daysUntil(c.NotAfter, ctx.now) : null)
      .set("keyAlgorithm", algorithm)
      .set("signatureAlgorithm", c.SignatureAlgorithm ?? null)
      .set("inUse", (c.InUseBy ?? []).length > 0)
      .set("renewalEligible", c.RenewalEligibility === "ELIGIBLE");
    if (!c.Type) b.miss("certificateType", "malformed response on acm:DescribeCertificate (no Type)");
    const bits = algorithm ? keyBitsOf(algorithm) : undefined;
    if (bits === undefined)
      b.miss(
        ["keyAlgorithm", "keyBits"].filter((p) => p === "keyBits" || !c.KeyAlgorithm),
        `unknown key algorithm ${c.KeyAlgorithm ?? "(none)"} from acm:DescribeCertificate`,
      );
    else b.set("keyBits", bits);
    ctx.emit(b);
  });
}
