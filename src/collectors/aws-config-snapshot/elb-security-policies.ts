/**
 * AWS's predefined Elastic Load Balancing security policies (ALB HTTPS and NLB TLS listeners): which protocols and
 * ciphers each allows. A Config configuration item of a listener names its policy only; this table turns the name
 * into facts. Sources: the "Security policies for your Application Load Balancer" page of the ELB user guide
 * (TLS, FIPS and FS tables) and, for the two legacy policies that page no longer lists (ELBSecurityPolicy-2015-05,
 * ELBSecurityPolicy-TLS-1-0-2015-04), DescribeSSLPolicies output. Policies not in this table (custom policies of
 * Classic Load Balancers, and predefined policies newer than this table, such as the 2025 post-quantum ones)
 * are reported as missing, never guessed from their names.
 */

/** Protocol names exactly as DescribeSSLPolicies prints them (`TLSv1` is TLS 1.0), as the live collector reports them. */
export type TlsProtocolName = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/** What a predefined security policy allows. */
export interface ElbSecurityPolicy {
  protocols: readonly TlsProtocolName[];
  /** OpenSSL cipher names, in the policy's order of preference. */
  ciphers: readonly string[];
}

const list = (s: string): readonly string[] => Object.freeze(s.trim().split(/\s+/));

const TLS13 = list("TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256");
const TLS13_FIPS = list("TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384");
const ECDHE_GCM = list(
  "ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-RSA-AES256-GCM-SHA384",
);
const ECDHE_8 =
  list(`ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES128-SHA256 ECDHE-RSA-AES128-SHA256
  ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-ECDSA-AES256-SHA384 ECDHE-RSA-AES256-SHA384`);
const ECDHE_12 =
  list(`ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES128-SHA256 ECDHE-RSA-AES128-SHA256
  ECDHE-ECDSA-AES128-SHA ECDHE-RSA-AES128-SHA ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-RSA-AES256-GCM-SHA384
  ECDHE-ECDSA-AES256-SHA384 ECDHE-RSA-AES256-SHA384 ECDHE-RSA-AES256-SHA ECDHE-ECDSA-AES256-SHA`);
const TLS12_12 =
  list(`ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES128-SHA256 ECDHE-RSA-AES128-SHA256
  ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-ECDSA-AES256-SHA384 ECDHE-RSA-AES256-SHA384
  AES128-GCM-SHA256 AES128-SHA256 AES256-GCM-SHA384 AES256-SHA256`);
const LEGACY_18 =
  list(`ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES128-SHA256 ECDHE-RSA-AES128-SHA256
  ECDHE-ECDSA-AES128-SHA ECDHE-RSA-AES128-SHA ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-RSA-AES256-GCM-SHA384
  ECDHE-ECDSA-AES256-SHA384 ECDHE-RSA-AES256-SHA384 ECDHE-ECDSA-AES256-SHA ECDHE-RSA-AES256-SHA
  AES128-GCM-SHA256 AES128-SHA256 AES128-SHA AES256-GCM-SHA384 AES256-SHA256 AES256-SHA`);

const V10_12: readonly TlsProtocolName[] = ["TLSv1", "TLSv1.1", "TLSv1.2"];
const V11_12: readonly TlsProtocolName[] = ["TLSv1.1", "TLSv1.2"];
const V12: readonly TlsProtocolName[] = ["TLSv1.2"];
const V12_13: readonly TlsProtocolName[] = ["TLSv1.2", "TLSv1.3"];
const V11_13: readonly TlsProtocolName[] = ["TLSv1.1", "TLSv1.2", "TLSv1.3"];
const V10_13: readonly TlsProtocolName[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
const V13: readonly TlsProtocolName[] = ["TLSv1.3"];

const p = (
  protocols: readonly TlsProtocolName[],
  ...cipherLists: ReadonlyArray<readonly string[]>
): ElbSecurityPolicy => Object.freeze({ protocols, ciphers: Object.freeze(cipherLists.flat()) });

/** Predefined ELB security policies by name. */
export const ELB_SECURITY_POLICIES: Readonly<Record<string, ElbSecurityPolicy>> = Object.freeze({
  // TLS 1.3 policies
  "ELBSecurityPolicy-TLS13-1-3-2021-06": p(V13, TLS13),
  "ELBSecurityPolicy-TLS13-1-2-2021-06": p(V12_13, TLS13, ECDHE_8),
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": p(V12_13, TLS13, ECDHE_GCM),
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06": p(V12_13, TLS13, LEGACY_18),
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": p(V12_13, TLS13, TLS12_12),
  "ELBSecurityPolicy-TLS13-1-1-2021-06": p(V11_13, TLS13, LEGACY_18),
  "ELBSecurityPolicy-TLS13-1-0-2021-06": p(V10_13, TLS13, LEGACY_18),
  // TLS 1.0-1.2 policies
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": p(V12, LEGACY_18),
  "ELBSecurityPolicy-TLS-1-2-2017-01": p(V12, TLS12_12),
  "ELBSecurityPolicy-TLS-1-1-2017-01": p(V11_12, LEGACY_18),
  "ELBSecurityPolicy-2016-08": p(V10_12, LEGACY_18),
  "ELBSecurityPolicy-2015-05": p(V10_12, LEGACY_18),
  "ELBSecurityPolicy-TLS-1-0-2015-04": p(V10_12, LEGACY_18, ["DES-CBC3-SHA"]),
  // Forward-secrecy policies
  "ELBSecurityPolicy-FS-1-2-Res-2020-10": p(V12, ECDHE_GCM),
  "ELBSecurityPolicy-FS-1-2-Res-2019-08": p(V12, ECDHE_8),
  "ELBSecurityPolicy-FS-1-2-2019-08": p(V12, ECDHE_12),
  "ELBSecurityPolicy-FS-1-1-2019-08": p(V11_12, ECDHE_12),
  "ELBSecurityPolicy-FS-2018-06": p(V10_12, ECDHE_12),
  // FIPS policies
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04": p(V13, TLS13_FIPS),
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04": p(V12_13, TLS13_FIPS, ECDHE_8),
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04": p(V12_13, TLS13_FIPS, ECDHE_GCM),
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": p(V12_13, TLS13_FIPS, LEGACY_18),
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": p(V12_13, TLS13_FIPS, TLS12_12),
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": p(V12_13, TLS13_FIPS, ECDHE_12),
  "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04": p(V11_13, TLS13_FIPS, LEGACY_18),
  "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04": p(V10_13, TLS13_FIPS, LEGACY_18),
});

const VERSION: Record<TlsProtocolName, number> = {
  TLSv1: 1.0,
  "TLSv1.1": 1.1,
  "TLSv1.2": 1.2,
  "TLSv1.3": 1.3,
};

/** The predefined policy with this name, or undefined (custom or newer than this table). */
export function elbSecurityPolicy(name: string): ElbSecurityPolicy | undefined {
  return Object.hasOwn(ELB_SECURITY_POLICIES, name) ? ELB_SECURITY_POLICIES[name] : undefined;
}

/** The lowest TLS version a protocol list allows, as a number (1.0 … 1.3). */
export function minTlsVersion(protocols: readonly TlsProtocolName[]): number {
  return Math.min(...protocols.map((x) => VERSION[x]));
}
