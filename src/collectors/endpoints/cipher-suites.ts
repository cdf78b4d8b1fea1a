/**
 * Cipher-suite registry: IANA code point and name, OpenSSL name, and what each suite is made of (key exchange,
 * authentication, encryption, MAC), derived from the IANA name, so a scan needs no local OpenSSL to classify suites.
 */

/** Protocol versions the prober knows, oldest first. */
export const PROTOCOLS = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
/** A protocol version name. */
export type Protocol = (typeof PROTOCOLS)[number];

/** Wire version number of each protocol. */
export const PROTOCOL_WIRE: Readonly<Record<Protocol, number>> = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  "TLSv1.0": 0x0301,
  "TLSv1.1": 0x0302,
  "TLSv1.2": 0x0303,
  "TLSv1.3": 0x0304,
};

/** Protocol versions as numbers, as the endpoint.tls type reports them (SSLv2 = 0.2, SSLv3 = 0.3). */
export const PROTOCOL_NUMBER: Readonly<Record<Protocol, number>> = {
  SSLv2: 0.2,
  SSLv3: 0.3,
  "TLSv1.0": 1.0,
  "TLSv1.1": 1.1,
  "TLSv1.2": 1.2,
  "TLSv1.3": 1.3,
};

/** How strong a suite is: insecure (broken or unauthenticated), weak (no forward secrecy or CBC), strong (ephemeral + AEAD). */
export type Strength = "insecure" | "weak" | "strong";

/** One cipher suite, fully described. */
export interface CipherSuite {
  code: number;
  /** IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  iana: string;
  /** OpenSSL name, e.g. ECDHE-RSA-AES128-GCM-SHA256. */
  openssl: string;
  /** Key exchange: RSA, DHE, ECDHE, DH (static), ECDH (static), PSK, DHE-PSK, ECDHE-PSK, RSA-PSK, SRP, KRB5, NULL, any (TLS 1.3). */
  kx: string;
  /** Authentication: RSA, DSS, ECDSA, PSK, SRP, anon, NULL, any (TLS 1.3). */
  auth: string;
  /** Bulk cipher, e.g. AES_128_GCM, 3DES_EDE_CBC, RC4_128, NULL. */
  enc: string;
  /** Effective symmetric key bits (3DES counts 112, NULL 0). */
  encBits: number;
  /** MAC: AEAD, SHA1, SHA256, SHA384, MD5, NULL. */
  mac: string;
  /** The key exchange is ephemeral, so recorded traffic stays safe if the server key leaks. */
  forwardSecret: boolean;
  aead: boolean;
  export: boolean;
  /** Why the suite is insecure (NULL, anonymous, export, RC4, DES, 3DES, RC2, IDEA, MD5); empty when it is not. */
  weaknesses: string[];
  strength: Strength;
  /** Lowest protocol that can negotiate it. */
  minProtocol: Protocol;
  /** TLS 1.3 suites are only negotiable in TLS 1.3, and no other suite is. */
  tls13: boolean;
}

// [code, IANA name, OpenSSL name]. OpenSSL names come from OpenSSL 3 (`openssl ciphers -V -stdname`); suites
// OpenSSL 3 no longer implements (export, RC4, DES, 3DES, static DH/ECDH) carry their historical OpenSSL 1.0 names.
const RAW: ReadonlyArray<readonly [number, string, string]> = [
  [0x0000, "TLS_NULL_WITH_NULL_NULL", "NULL-NULL"],
  [0x0001, "TLS_RSA_WITH_NULL_MD5", "NULL-MD5"],
  [0x0002, "TLS_RSA_WITH_NULL_SHA", "NULL-SHA"],
  [0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "EXP-RC4-MD5"],
  [0x0004, "TLS_RSA_WITH_RC4_128_MD5", "RC4-MD5"],
  [0x0005, "TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA"],
  [0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", "EXP-RC2-CBC-MD5"],
  [0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", "IDEA-CBC-SHA"],
  [0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-DES-CBC-SHA"],
  [0x0009, "TLS_RSA_WITH_DES_CBC_SHA", "DES-CBC-SHA"],
  [0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA"],
  [0x000b, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", "EXP-DH-DSS-DES-CBC-SHA"],
  [0x000c, "TLS_DH_DSS_WITH_DES_CBC_SHA", "DH-DSS-DES-CBC-SHA"],
  [0x000d, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA", "DH-DSS-DES-CBC3-SHA"],
  [0x000e, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-DH-RSA-DES-CBC-SHA"],
  [0x000f, "TLS_DH_RSA_WITH_DES_CBC_SHA", "DH-RSA-DES-CBC-SHA"],
  [0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA", "DH-RSA-DES-CBC3-SHA"],
  [0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", "EXP-DHE-DSS-DES-CBC-SHA"],
  [0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", "DHE-DSS-DES-CBC-SHA"],
  [0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", "DHE-DSS-DES-CBC3-SHA"],
  [0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-DHE-RSA-DES-CBC-SHA"],
  [0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", "DHE-RSA-DES-CBC-SHA"],
  [0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "DHE-RSA-DES-CBC3-SHA"],
  [0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", "EXP-ADH-RC4-MD5"],
  [0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", "ADH-RC4-MD5"],
  [0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", "EXP-ADH-DES-CBC-SHA"],
  [0x001a, "TLS_DH_anon_WITH_DES_CBC_SHA", "ADH-DES-CBC-SHA"],
  [0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", "ADH-DES-CBC3-SHA"],
  // Kerberos suites (RFC 2712): no current stack offers them, but a server that still does must not go unseen.
  [0x001e, "TLS_KRB5_WITH_DES_CBC_SHA", "KRB5-DES-CBC-SHA"],
  [0x001f, "TLS_KRB5_WITH_3DES_EDE_CBC_SHA", "KRB5-DES-CBC3-SHA"],
  [0x0020, "TLS_KRB5_WITH_RC4_128_SHA", "KRB5-RC4-SHA"],
  [0x0021, "TLS_KRB5_WITH_IDEA_CBC_SHA", "KRB5-IDEA-CBC-SHA"],
  [0x0022, "TLS_KRB5_WITH_DES_CBC_MD5", "KRB5-DES-CBC-MD5"],
  [0x0023, "TLS_KRB5_WITH_3DES_EDE_CBC_MD5", "KRB5-DES-CBC3-MD5"],
  [0x0024, "TLS_KRB5_WITH_RC4_128_MD5", "KRB5-RC4-MD5"],
  [0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5", "KRB5-IDEA-CBC-MD5"],
  [0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", "EXP-KRB5-DES-CBC-SHA"],
  [0x0027, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA", "EXP-KRB5-RC2-CBC-SHA"],
  [0x0028, "TLS_KRB5_EXPORT_WITH_RC4_40_SHA", "EXP-KRB5-RC4-SHA"],
  [0x0029, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5", "EXP-KRB5-DES-CBC-MD5"],
  [0x002a, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5", "EXP-KRB5-RC2-CBC-MD5"],
  [0x002b, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5", "EXP-KRB5-RC4-MD5"],
  [0x002c, "TLS_PSK_WITH_NULL_SHA", "PSK-NULL-SHA"],
  [0x002d, "TLS_DHE_PSK_WITH_NULL_SHA", "DHE-PSK-NULL-SHA"],
  [0x002e, "TLS_RSA_PSK_WITH_NULL_SHA", "RSA-PSK-NULL-SHA"],
  [0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"],
  [0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA", "DH-DSS-AES128-SHA"],
  [0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA", "DH-RSA-AES128-SHA"],
  [0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", "DHE-DSS-AES128-SHA"],
  [0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA"],
  [0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", "ADH-AES128-SHA"],
  [0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"],
  [0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA", "DH-DSS-AES256-SHA"],
  [0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA", "DH-RSA-AES256-SHA"],
  [0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "DHE-DSS-AES256-SHA"],
  [0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA"],
  [0x003a, "TLS_DH_anon_WITH_AES_256_CBC_SHA", "ADH-AES256-SHA"],
  [0x003b, "TLS_RSA_WITH_NULL_SHA256", "NULL-SHA256"],
  [0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256"],
  [0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256"],
  [0x003e, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256", "DH-DSS-AES128-SHA256"],
  [0x003f, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256", "DH-RSA-AES128-SHA256"],
  [0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", "DHE-DSS-AES128-SHA256"],
  [0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", "CAMELLIA128-SHA"],
  [0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", "DHE-DSS-CAMELLIA128-SHA"],
  [0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", "DHE-RSA-CAMELLIA128-SHA"],
  [0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", "ADH-CAMELLIA128-SHA"],
  [0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", "EXP1024-DES-CBC-SHA"],
  [0x0063, "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA", "EXP1024-DHE-DSS-DES-CBC-SHA"],
  [0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA", "EXP1024-RC4-SHA"],
  [0x0065, "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA", "EXP1024-DHE-DSS-RC4-SHA"],
  [0x0066, "TLS_DHE_DSS_WITH_RC4_128_SHA", "DHE-DSS-RC4-SHA"],
  [0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256"],
  [0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256", "DH-DSS-AES256-SHA256"],
  [0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256", "DH-RSA-AES256-SHA256"],
  [0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "DHE-DSS-AES256-SHA256"],
  [0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256"],
  [0x006c, "TLS_DH_anon_WITH_AES_128_CBC_SHA256", "ADH-AES128-SHA256"],
  [0x006d, "TLS_DH_anon_WITH_AES_256_CBC_SHA256", "ADH-AES256-SHA256"],
  [0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", "CAMELLIA256-SHA"],
  [0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", "DHE-DSS-CAMELLIA256-SHA"],
  [0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", "DHE-RSA-CAMELLIA256-SHA"],
  [0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", "ADH-CAMELLIA256-SHA"],
  [0x008a, "TLS_PSK_WITH_RC4_128_SHA", "PSK-RC4-SHA"],
  [0x008b, "TLS_PSK_WITH_3DES_EDE_CBC_SHA", "PSK-3DES-EDE-CBC-SHA"],
  [0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA", "PSK-AES128-CBC-SHA"],
  [0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA", "PSK-AES256-CBC-SHA"],
  [0x008e, "TLS_DHE_PSK_WITH_RC4_128_SHA", "DHE-PSK-RC4-SHA"],
  [0x008f, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA", "DHE-PSK-3DES-EDE-CBC-SHA"],
  [0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", "DHE-PSK-AES128-CBC-SHA"],
  [0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", "DHE-PSK-AES256-CBC-SHA"],
  [0x0092, "TLS_RSA_PSK_WITH_RC4_128_SHA", "RSA-PSK-RC4-SHA"],
  [0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA", "RSA-PSK-3DES-EDE-CBC-SHA"],
  [0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", "RSA-PSK-AES128-CBC-SHA"],
  [0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", "RSA-PSK-AES256-CBC-SHA"],
  [0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", "SEED-SHA"],
  [0x0099, "TLS_DHE_DSS_WITH_SEED_CBC_SHA", "DHE-DSS-SEED-SHA"],
  [0x009a, "TLS_DHE_RSA_WITH_SEED_CBC_SHA", "DHE-RSA-SEED-SHA"],
  [0x009b, "TLS_DH_anon_WITH_SEED_CBC_SHA", "ADH-SEED-SHA"],
  [0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"],
  [0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"],
  [0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256"],
  [0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384"],
  [0x00a0, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256", "DH-RSA-AES128-GCM-SHA256"],
  [0x00a1, "TLS_DH_RSA_WITH_AES_256_GCM_SHA384", "DH-RSA-AES256-GCM-SHA384"],
  [0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "DHE-DSS-AES128-GCM-SHA256"],
  [0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "DHE-DSS-AES256-GCM-SHA384"],
  [0x00a4, "TLS_DH_DSS_WITH_AES_128_GCM_SHA256", "DH-DSS-AES128-GCM-SHA256"],
  [0x00a5, "TLS_DH_DSS_WITH_AES_256_GCM_SHA384", "DH-DSS-AES256-GCM-SHA384"],
  [0x00a6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256", "ADH-AES128-GCM-SHA256"],
  [0x00a7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384", "ADH-AES256-GCM-SHA384"],
  [0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256", "PSK-AES128-GCM-SHA256"],
  [0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384", "PSK-AES256-GCM-SHA384"],
  [0x00aa, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", "DHE-PSK-AES128-GCM-SHA256"],
  [0x00ab, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", "DHE-PSK-AES256-GCM-SHA384"],
  [0x00ac, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", "RSA-PSK-AES128-GCM-SHA256"],
  [0x00ad, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", "RSA-PSK-AES256-GCM-SHA384"],
  [0x00ae, "TLS_PSK_WITH_AES_128_CBC_SHA256", "PSK-AES128-CBC-SHA256"],
  [0x00af, "TLS_PSK_WITH_AES_256_CBC_SHA384", "PSK-AES256-CBC-SHA384"],
  [0x00b0, "TLS_PSK_WITH_NULL_SHA256", "PSK-NULL-SHA256"],
  [0x00b1, "TLS_PSK_WITH_NULL_SHA384", "PSK-NULL-SHA384"],
  [0x00b2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", "DHE-PSK-AES128-CBC-SHA256"],
  [0x00b3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", "DHE-PSK-AES256-CBC-SHA384"],
  [0x00b4, "TLS_DHE_PSK_WITH_NULL_SHA256", "DHE-PSK-NULL-SHA256"],
  [0x00b5, "TLS_DHE_PSK_WITH_NULL_SHA384", "DHE-PSK-NULL-SHA384"],
  [0x00b6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256", "RSA-PSK-AES128-CBC-SHA256"],
  [0x00b7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", "RSA-PSK-AES256-CBC-SHA384"],
  [0x00b8, "TLS_RSA_PSK_WITH_NULL_SHA256", "RSA-PSK-NULL-SHA256"],
  [0x00b9, "TLS_RSA_PSK_WITH_NULL_SHA384", "RSA-PSK-NULL-SHA384"],
  [0x00ba, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", "CAMELLIA128-SHA256"],
  [0x00bd, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256", "DHE-DSS-CAMELLIA128-SHA256"],
  [0x00be, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", "DHE-RSA-CAMELLIA128-SHA256"],
  [0x00bf, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", "ADH-CAMELLIA128-SHA256"],
  [0x00c0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", "CAMELLIA256-SHA256"],
  [0x00c3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256", "DHE-DSS-CAMELLIA256-SHA256"],
  [0x00c4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", "DHE-RSA-CAMELLIA256-SHA256"],
  [0x00c5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", "ADH-CAMELLIA256-SHA256"],
  [0x1301, "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"],
  [0x1302, "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"],
  [0x1303, "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256"],
  [0x1304, "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_SHA256"],
  [0x1305, "TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_8_SHA256"],
  [0xc001, "TLS_ECDH_ECDSA_WITH_NULL_SHA", "ECDH-ECDSA-NULL-SHA"],
  [0xc002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", "ECDH-ECDSA-RC4-SHA"],
  [0xc003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", "ECDH-ECDSA-DES-CBC3-SHA"],
  [0xc004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", "ECDH-ECDSA-AES128-SHA"],
  [0xc005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", "ECDH-ECDSA-AES256-SHA"],
  [0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA", "ECDHE-ECDSA-NULL-SHA"],
  [0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "ECDHE-ECDSA-RC4-SHA"],
  [0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-ECDSA-DES-CBC3-SHA"],
  [0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"],
  [0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"],
  [0xc00b, "TLS_ECDH_RSA_WITH_NULL_SHA", "ECDH-RSA-NULL-SHA"],
  [0xc00c, "TLS_ECDH_RSA_WITH_RC4_128_SHA", "ECDH-RSA-RC4-SHA"],
  [0xc00d, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", "ECDH-RSA-DES-CBC3-SHA"],
  [0xc00e, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", "ECDH-RSA-AES128-SHA"],
  [0xc00f, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", "ECDH-RSA-AES256-SHA"],
  [0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA", "ECDHE-RSA-NULL-SHA"],
  [0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "ECDHE-RSA-RC4-SHA"],
  [0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-RSA-DES-CBC3-SHA"],
  [0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"],
  [0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"],
  [0xc015, "TLS_ECDH_anon_WITH_NULL_SHA", "AECDH-NULL-SHA"],
  [0xc016, "TLS_ECDH_anon_WITH_RC4_128_SHA", "AECDH-RC4-SHA"],
  [0xc017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", "AECDH-DES-CBC3-SHA"],
  [0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "AECDH-AES128-SHA"],
  [0xc019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", "AECDH-AES256-SHA"],
  [0xc01a, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", "SRP-3DES-EDE-CBC-SHA"],
  [0xc01b, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", "SRP-RSA-3DES-EDE-CBC-SHA"],
  [0xc01c, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA", "SRP-DSS-3DES-EDE-CBC-SHA"],
  [0xc01d, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", "SRP-AES-128-CBC-SHA"],
  [0xc01e, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", "SRP-RSA-AES-128-CBC-SHA"],
  [0xc01f, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", "SRP-DSS-AES-128-CBC-SHA"],
  [0xc020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", "SRP-AES-256-CBC-SHA"],
  [0xc021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", "SRP-RSA-AES-256-CBC-SHA"],
  [0xc022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", "SRP-DSS-AES-256-CBC-SHA"],
  [0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256"],
  [0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384"],
  [0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", "ECDH-ECDSA-AES128-SHA256"],
  [0xc026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", "ECDH-ECDSA-AES256-SHA384"],
  [0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256"],
  [0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384"],
  [0xc029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", "ECDH-RSA-AES128-SHA256"],
  [0xc02a, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", "ECDH-RSA-AES256-SHA384"],
  [0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"],
  [0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"],
  [0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", "ECDH-ECDSA-AES128-GCM-SHA256"],
  [0xc02e, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", "ECDH-ECDSA-AES256-GCM-SHA384"],
  [0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"],
  [0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"],
  [0xc031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", "ECDH-RSA-AES128-GCM-SHA256"],
  [0xc032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", "ECDH-RSA-AES256-GCM-SHA384"],
  [0xc033, "TLS_ECDHE_PSK_WITH_RC4_128_SHA", "ECDHE-PSK-RC4-SHA"],
  [0xc034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA", "ECDHE-PSK-3DES-EDE-CBC-SHA"],
  [0xc035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", "ECDHE-PSK-AES128-CBC-SHA"],
  [0xc036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", "ECDHE-PSK-AES256-CBC-SHA"],
  [0xc037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", "ECDHE-PSK-AES128-CBC-SHA256"],
  [0xc038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", "ECDHE-PSK-AES256-CBC-SHA384"],
  [0xc039, "TLS_ECDHE_PSK_WITH_NULL_SHA", "ECDHE-PSK-NULL-SHA"],
  [0xc03a, "TLS_ECDHE_PSK_WITH_NULL_SHA256", "ECDHE-PSK-NULL-SHA256"],
  [0xc03b, "TLS_ECDHE_PSK_WITH_NULL_SHA384", "ECDHE-PSK-NULL-SHA384"],
  [0xc050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256", "ARIA128-GCM-SHA256"],
  [0xc051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384", "ARIA256-GCM-SHA384"],
  [0xc052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", "DHE-RSA-ARIA128-GCM-SHA256"],
  [0xc053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", "DHE-RSA-ARIA256-GCM-SHA384"],
  [0xc056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256", "DHE-DSS-ARIA128-GCM-SHA256"],
  [0xc057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384", "DHE-DSS-ARIA256-GCM-SHA384"],
  [0xc05c, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", "ECDHE-ECDSA-ARIA128-GCM-SHA256"],
  [0xc05d, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", "ECDHE-ECDSA-ARIA256-GCM-SHA384"],
  [0xc060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", "ECDHE-ARIA128-GCM-SHA256"],
  [0xc061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", "ECDHE-ARIA256-GCM-SHA384"],
  [0xc06a, "TLS_PSK_WITH_ARIA_128_GCM_SHA256", "PSK-ARIA128-GCM-SHA256"],
  [0xc06b, "TLS_PSK_WITH_ARIA_256_GCM_SHA384", "PSK-ARIA256-GCM-SHA384"],
  [0xc06c, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256", "DHE-PSK-ARIA128-GCM-SHA256"],
  [0xc06d, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384", "DHE-PSK-ARIA256-GCM-SHA384"],
  [0xc06e, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256", "RSA-PSK-ARIA128-GCM-SHA256"],
  [0xc06f, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384", "RSA-PSK-ARIA256-GCM-SHA384"],
  [0xc072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", "ECDHE-ECDSA-CAMELLIA128-SHA256"],
  [0xc073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", "ECDHE-ECDSA-CAMELLIA256-SHA384"],
  [0xc076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", "ECDHE-RSA-CAMELLIA128-SHA256"],
  [0xc077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", "ECDHE-RSA-CAMELLIA256-SHA384"],
  [0xc07c, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", "DHE-RSA-CAMELLIA128-GCM-SHA256"],
  [0xc07d, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", "DHE-RSA-CAMELLIA256-GCM-SHA384"],
  [0xc086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", "ECDHE-ECDSA-CAMELLIA128-GCM-SHA256"],
  [0xc087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", "ECDHE-ECDSA-CAMELLIA256-GCM-SHA384"],
  [0xc08a, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", "ECDHE-RSA-CAMELLIA128-GCM-SHA256"],
  [0xc08b, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", "ECDHE-RSA-CAMELLIA256-GCM-SHA384"],
  [0xc094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256", "PSK-CAMELLIA128-SHA256"],
  [0xc095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384", "PSK-CAMELLIA256-SHA384"],
  [0xc096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", "DHE-PSK-CAMELLIA128-SHA256"],
  [0xc097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", "DHE-PSK-CAMELLIA256-SHA384"],
  [0xc098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256", "RSA-PSK-CAMELLIA128-SHA256"],
  [0xc099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384", "RSA-PSK-CAMELLIA256-SHA384"],
  [0xc09a, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", "ECDHE-PSK-CAMELLIA128-SHA256"],
  [0xc09b, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", "ECDHE-PSK-CAMELLIA256-SHA384"],
  [0xc09c, "TLS_RSA_WITH_AES_128_CCM", "AES128-CCM"],
  [0xc09d, "TLS_RSA_WITH_AES_256_CCM", "AES256-CCM"],
  [0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM", "DHE-RSA-AES128-CCM"],
  [0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM", "DHE-RSA-AES256-CCM"],
  [0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8", "AES128-CCM8"],
  [0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8", "AES256-CCM8"],
  [0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", "DHE-RSA-AES128-CCM8"],
  [0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", "DHE-RSA-AES256-CCM8"],
  [0xc0a4, "TLS_PSK_WITH_AES_128_CCM", "PSK-AES128-CCM"],
  [0xc0a5, "TLS_PSK_WITH_AES_256_CCM", "PSK-AES256-CCM"],
  [0xc0a6, "TLS_DHE_PSK_WITH_AES_128_CCM", "DHE-PSK-AES128-CCM"],
  [0xc0a7, "TLS_DHE_PSK_WITH_AES_256_CCM", "DHE-PSK-AES256-CCM"],
  [0xc0a8, "TLS_PSK_WITH_AES_128_CCM_8", "PSK-AES128-CCM8"],
  [0xc0a9, "TLS_PSK_WITH_AES_256_CCM_8", "PSK-AES256-CCM8"],
  [0xc0aa, "TLS_PSK_DHE_WITH_AES_128_CCM_8", "DHE-PSK-AES128-CCM8"],
  [0xc0ab, "TLS_PSK_DHE_WITH_AES_256_CCM_8", "DHE-PSK-AES256-CCM8"],
  [0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "ECDHE-ECDSA-AES128-CCM"],
  [0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", "ECDHE-ECDSA-AES256-CCM"],
  [0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "ECDHE-ECDSA-AES128-CCM8"],
  [0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", "ECDHE-ECDSA-AES256-CCM8"],
  [0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"],
  [0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"],
  [0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305"],
  [0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", "PSK-CHACHA20-POLY1305"],
  [0xccac, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-PSK-CHACHA20-POLY1305"],
  [0xccad, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "DHE-PSK-CHACHA20-POLY1305"],
  [0xccae, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", "RSA-PSK-CHACHA20-POLY1305"],
];

const EPHEMERAL = new Set(["DHE", "ECDHE", "DHE-PSK", "ECDHE-PSK", "ECCPWD"]);

function splitKxAuth(prefix: string): { kx: string; auth: string; exp: boolean } {
  const exp = /_EXPORT(1024)?$/.test(prefix);
  const p = prefix.replace(/_EXPORT(1024)?$/, "");
  const table: Record<string, [string, string]> = {
    NULL: ["NULL", "NULL"],
    RSA: ["RSA", "RSA"],
    DH_DSS: ["DH", "DSS"],
    DH_RSA: ["DH", "RSA"],
    DHE_DSS: ["DHE", "DSS"],
    DHE_RSA: ["DHE", "RSA"],
    DH_anon: ["DHE", "anon"],
    ECDH_ECDSA: ["ECDH", "ECDSA"],
    ECDH_RSA: ["ECDH", "RSA"],
    ECDHE_ECDSA: ["ECDHE", "ECDSA"],
    ECDHE_RSA: ["ECDHE", "RSA"],
    ECDH_anon: ["ECDHE", "anon"],
    PSK: ["PSK", "PSK"],
    DHE_PSK: ["DHE-PSK", "PSK"],
    PSK_DHE: ["DHE-PSK", "PSK"],
    RSA_PSK: ["RSA-PSK", "RSA"],
    ECDHE_PSK: ["ECDHE-PSK", "PSK"],
    SRP_SHA: ["SRP", "SRP"],
    SRP_SHA_RSA: ["SRP", "RSA"],
    SRP_SHA_DSS: ["SRP", "DSS"],
    KRB5: ["KRB5", "KRB5"],
  };
  const hit = table[p];
  if (!hit) throw new Error(`cipher registry: unknown key exchange "${prefix}"`);
  return { kx: hit[0], auth: hit[1], exp };
}

function encBitsOf(enc: string): number {
  if (enc === "NULL") return 0;
  if (enc.startsWith("3DES")) return 112;
  if (enc.startsWith("DES40") || enc === "DES_CBC_40") return 40;
  if (enc.startsWith("DES_")) return 56;
  if (enc.startsWith("CHACHA20")) return 256;
  if (enc.startsWith("SEED") || enc.startsWith("IDEA")) return 128;
  const m = /_(\d+)(_|$)/.exec(enc);
  if (!m) throw new Error(`cipher registry: no key size in "${enc}"`);
  return Number(m[1]);
}

/** Build the description of one suite from its IANA name (exported for tests). */
export function describeSuite(code: number, iana: string, openssl: string): CipherSuite {
  const name = iana.replace(/^TLS_/, "");
  let kx: string;
  let auth: string;
  let exp = false;
  let enc: string;
  let mac: string;
  const tls13 = code >> 8 === 0x13;
  if (tls13) {
    kx = "any";
    auth = "any";
    const m = /^(.*)_(SHA256|SHA384)$/.exec(name);
    if (!m) throw new Error(`cipher registry: bad TLS 1.3 suite ${iana}`);
    enc = m[1];
    mac = "AEAD";
  } else {
    const [prefix, rest] = name.split("_WITH_");
    if (rest === undefined) throw new Error(`cipher registry: no _WITH_ in ${iana}`);
    ({ kx, auth, exp } = splitKxAuth(prefix));
    const m = /^(.*?)(?:_(SHA|SHA256|SHA384|MD5|NULL))?$/.exec(rest);
    enc = m?.[1] ?? rest;
    const tail = m?.[2];
    const aeadEnc = /GCM|CCM|POLY1305/.test(enc);
    mac = aeadEnc ? "AEAD" : tail === "SHA" ? "SHA1" : (tail ?? "NULL");
  }
  const aead = mac === "AEAD";
  const weaknesses: string[] = [];
  if (enc === "NULL") weaknesses.push("NULL");
  if (auth === "anon" || kx === "NULL") weaknesses.push("anonymous");
  if (exp) weaknesses.push("export");
  if (enc.startsWith("RC4")) weaknesses.push("RC4");
  if (enc.startsWith("DES")) weaknesses.push("DES");
  if (enc.startsWith("3DES")) weaknesses.push("3DES");
  if (enc.startsWith("RC2")) weaknesses.push("RC2");
  if (enc.startsWith("IDEA")) weaknesses.push("IDEA");
  if (mac === "MD5") weaknesses.push("MD5");
  const forwardSecret = tls13 || EPHEMERAL.has(kx);
  const strength: Strength = weaknesses.length ? "insecure" : forwardSecret && aead ? "strong" : "weak";
  const tls12Only = aead || mac === "SHA256" || mac === "SHA384";
  return {
    code,
    iana,
    openssl,
    kx,
    auth,
    enc,
    encBits: encBitsOf(enc),
    mac,
    forwardSecret,
    aead,
    export: exp,
    weaknesses,
    strength,
    minProtocol: tls13 ? "TLSv1.3" : tls12Only ? "TLSv1.2" : "SSLv3",
    tls13,
  };
}

/** Every known suite, by code point. */
export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map(
  RAW.map(([c, i, o]) => [c, describeSuite(c, i, o)]),
);

/**
 * SSLv2 cipher kinds (three-byte codes, from the SSL 2.0 specification), kept apart from the TLS registry: they are
 * offered only in SSLv2 CLIENT-HELLOs. Every one is broken — MD5 MACs, and RC4, RC2, IDEA, DES or export keys — and
 * SSLv2 itself allows DROWN (CVE-2016-0800) against the same key used over TLS.
 */
const SSL2_RAW: ReadonlyArray<readonly [number, string, string, string, number, boolean]> = [
  // [code, name, OpenSSL name, cipher, effective key bits, export]. The last three were defined after the first
  // specification (RC4 with a 64-bit key in SSLeay, the SHA variants in later drafts); an SSLv2 ERROR NO-CIPHER to a
  // hello offering all ten means the server has no SSLv2 cipher at all.
  [0x010080, "SSL_CK_RC4_128_WITH_MD5", "RC4-MD5", "RC4_128", 128, false],
  [0x020080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5", "EXP-RC4-MD5", "RC4_40", 40, true],
  [0x030080, "SSL_CK_RC2_128_CBC_WITH_MD5", "RC2-CBC-MD5", "RC2_CBC_128", 128, false],
  [0x040080, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5", "EXP-RC2-CBC-MD5", "RC2_CBC_40", 40, true],
  [0x050080, "SSL_CK_IDEA_128_CBC_WITH_MD5", "IDEA-CBC-MD5", "IDEA_CBC", 128, false],
  [0x060040, "SSL_CK_DES_64_CBC_WITH_MD5", "DES-CBC-MD5", "DES_CBC", 56, false],
  [0x0700c0, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", "DES-CBC3-MD5", "3DES_EDE_CBC", 112, false],
  [0x080080, "SSL_CK_RC4_64_WITH_MD5", "RC4-64-MD5", "RC4_64", 64, false],
  [0x060140, "SSL_CK_DES_64_CBC_WITH_SHA", "DES-CBC-SHA", "DES_CBC", 56, false],
  [0x0701c0, "SSL_CK_DES_192_EDE3_CBC_WITH_SHA", "DES-CBC3-SHA", "3DES_EDE_CBC", 112, false],
];

function describeSsl2(code: number, name: string, openssl: string, enc: string, bits: number, exp: boolean) {
  const mac = name.endsWith("_SHA") ? "SHA1" : "MD5";
  // The cipher's family is its name's first word (RC4, RC2, IDEA, DES, 3DES), as the TLS registry words weaknesses.
  const weaknesses = [...(exp ? ["export"] : []), enc.split("_")[0], ...(mac === "MD5" ? ["MD5"] : [])];
  return {
    code,
    iana: name,
    openssl,
    kx: "RSA",
    auth: "RSA",
    enc,
    encBits: bits,
    mac,
    forwardSecret: false,
    aead: false,
    export: exp,
    weaknesses,
    strength: "insecure",
    minProtocol: "SSLv2",
    tls13: false,
  } satisfies CipherSuite;
}

/** The SSLv2 cipher kinds, by their three-byte code. */
export const SSL2_CIPHERS: ReadonlyMap<number, CipherSuite> = new Map(
  SSL2_RAW.map(([c, n, o, e, b, x]) => [c, describeSsl2(c, n, o, e, b, x)]),
);

/** A code point as the reports print it: four hex digits for TLS, six for SSLv2 cipher kinds. */
export function codeHex(code: number, ssl2 = code > 0xffff): string {
  return `0x${code
    .toString(16)
    .padStart(ssl2 ? 6 : 4, "0")
    .toUpperCase()}`;
}

/**
 * The suite for a code point (a TLS suite, or with `ssl2` an SSLv2 cipher kind), or a placeholder for an unknown one.
 */
export function suiteByCode(code: number, ssl2 = false): CipherSuite {
  const known = ssl2 ? SSL2_CIPHERS.get(code) : CIPHER_SUITES.get(code);
  if (known) return known;
  const hex = codeHex(code, ssl2);
  return {
    code,
    iana: `UNKNOWN_${hex}`,
    openssl: `UNKNOWN-${hex}`,
    kx: "unknown",
    auth: "unknown",
    enc: "unknown",
    encBits: 0,
    mac: "unknown",
    forwardSecret: false,
    aead: false,
    export: false,
    weaknesses: ["unknown"],
    strength: "insecure",
    minProtocol: ssl2 ? "SSLv2" : "SSLv3",
    tls13: false,
  };
}

/** Suites worth offering in a ClientHello of the given protocol, in registry order. */
export function suitesFor(protocol: Protocol): CipherSuite[] {
  if (protocol === "SSLv2") return [...SSL2_CIPHERS.values()];
  const out: CipherSuite[] = [];
  for (const s of CIPHER_SUITES.values()) {
    if (protocol === "TLSv1.3") {
      if (s.tls13) out.push(s);
    } else if (!s.tls13 && (protocol === "TLSv1.2" || s.minProtocol === "SSLv3")) out.push(s);
  }
  return out;
}

/** Key-exchange groups (TLS supported_groups code points) with their names and sizes in bits. */
export const GROUPS: ReadonlyMap<number, { name: string; kind: "ecdh" | "dh"; bits: number }> = new Map([
  [0x0001, { name: "sect163k1", kind: "ecdh", bits: 163 }],
  [0x0003, { name: "sect163r2", kind: "ecdh", bits: 163 }],
  [0x0006, { name: "sect233k1", kind: "ecdh", bits: 233 }],
  [0x0007, { name: "sect233r1", kind: "ecdh", bits: 233 }],
  [0x0009, { name: "sect283k1", kind: "ecdh", bits: 283 }],
  [0x000a, { name: "sect283r1", kind: "ecdh", bits: 283 }],
  [0x000b, { name: "sect409k1", kind: "ecdh", bits: 409 }],
  [0x000c, { name: "sect409r1", kind: "ecdh", bits: 409 }],
  [0x000d, { name: "sect571k1", kind: "ecdh", bits: 571 }],
  [0x000e, { name: "sect571r1", kind: "ecdh", bits: 571 }],
  [0x000f, { name: "secp160k1", kind: "ecdh", bits: 160 }],
  [0x0010, { name: "secp160r1", kind: "ecdh", bits: 160 }],
  [0x0011, { name: "secp160r2", kind: "ecdh", bits: 160 }],
  [0x0012, { name: "secp192k1", kind: "ecdh", bits: 192 }],
  [0x0013, { name: "secp192r1", kind: "ecdh", bits: 192 }],
  [0x0014, { name: "secp224k1", kind: "ecdh", bits: 224 }],
  [0x0015, { name: "secp224r1", kind: "ecdh", bits: 224 }],
  [0x0016, { name: "secp256k1", kind: "ecdh", bits: 256 }],
  [0x0017, { name: "secp256r1", kind: "ecdh", bits: 256 }],
  [0x0018, { name: "secp384r1", kind: "ecdh", bits: 384 }],
  [0x0019, { name: "secp521r1", kind: "ecdh", bits: 521 }],
  [0x001a, { name: "brainpoolP256r1", kind: "ecdh", bits: 256 }],
  [0x001b, { name: "brainpoolP384r1", kind: "ecdh", bits: 384 }],
  [0x001c, { name: "brainpoolP512r1", kind: "ecdh", bits: 512 }],
  // X25519 keys are 32 bytes and give P-256-class security; counted as 256 so "ECDH >= 256" means what people expect.
  [0x001d, { name: "x25519", kind: "ecdh", bits: 256 }],
  [0x001e, { name: "x448", kind: "ecdh", bits: 448 }],
  [0x0100, { name: "ffdhe2048", kind: "dh", bits: 2048 }],
  [0x0101, { name: "ffdhe3072", kind: "dh", bits: 3072 }],
  [0x0102, { name: "ffdhe4096", kind: "dh", bits: 4096 }],
  [0x0103, { name: "ffdhe6144", kind: "dh", bits: 6144 }],
  [0x0104, { name: "ffdhe8192", kind: "dh", bits: 8192 }],
]);
