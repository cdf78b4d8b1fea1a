// REST-XML (S3): the operation is the method + path + sub-resource query; path-style addressing (/bucket?encryption).
import {
  accountOf,
  page,
  requestId,
  ServiceError,
  type StandInRequest,
  type StandInState,
} from "./common.js";
import type { Api, BucketFixture } from "./fixture.js";
import { elementToXml, xmlEscape } from "./xml.js";

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const SUBRESOURCES = [
  "location",
  "encryption",
  "policy",
  "publicAccessBlock",
  "versioning",
  "logging",
  "object-lock",
] as const;

/** The S3 operation a request names, plus its bucket. */
export function s3Operation(method: string, url: URL): { operation: string; bucket?: string } {
  const bucket = decodeURIComponent(url.pathname.replace(/^\/+/, "").split("/")[0] ?? "");
  if (!bucket) return { operation: method === "GET" ? "ListBuckets" : "Unknown" };
  const sub = SUBRESOURCES.find((s) => url.searchParams.has(s));
  const names: Record<string, string> = {
    location: "GetBucketLocation",
    encryption: "GetBucketEncryption",
    policy: "GetBucketPolicy",
    publicAccessBlock: "GetPublicAccessBlock",
    versioning: "GetBucketVersioning",
    logging: "GetBucketLogging",
    "object-lock": "GetObjectLockConfiguration",
  };
  return { operation: method === "GET" && sub ? names[sub] : "Unknown", bucket };
}

/** Serialize an S3 error. */
export function s3Error(err: ServiceError): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message><RequestId>${requestId()}</RequestId></Error>`;
}

/** Handle one S3 request: returns the body (XML, or the policy JSON) and extra headers. */
export function handleS3(
  state: StandInState,
  req: StandInRequest,
  bucketName?: string,
): { body: string; contentType: string; headers?: Record<string, string> } {
  const acct = accountOf(state, req);
  const xml = (name: string, v: Api) => ({
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${elementToXml(name, v, () => ({ flat: true })).replace(`<${name}>`, `<${name} ${NS}>`)}`,
    contentType: "application/xml",
  });
  if (req.operation === "ListBuckets") {
    const all = acct.s3?.buckets ?? [];
    const { items, next } = page(
      all,
      req.params["continuation-token"],
      req.params["max-buckets"],
      state.pageSize,
    );
    const buckets = items
      .map(
        (b) =>
          `<Bucket><Name>${xmlEscape(b.Name)}</Name><CreationDate>${b.CreationDate}</CreationDate>${b.legacyLocation === undefined ? `<BucketRegion>${b.region}</BucketRegion>` : ""}</Bucket>`,
      )
      .join("");
    return {
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult ${NS}><Owner><ID>owner-${req.account}</ID></Owner><Buckets>${buckets}</Buckets>${next ? `<ContinuationToken>${next}</ContinuationToken>` : ""}</ListAllMyBucketsResult>`,
      contentType: "application/xml",
    };
  }
  const b: BucketFixture | undefined = acct.s3?.buckets.find((x) => x.Name === bucketName);
  if (!b) throw new ServiceError("NoSuchBucket", "The specified bucket does not exist", 404);
  if (req.operation === "GetBucketLocation") {
    return {
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint ${NS}>${b.legacyLocation ?? (b.region === "us-east-1" ? "" : b.region)}</LocationConstraint>`,
      contentType: "application/xml",
    };
  }
  // Every other bucket operation must be signed for the bucket's own region, as real S3 demands.
  if (b.region !== req.region) {
    const err = new ServiceError(
      "AuthorizationHeaderMalformed",
      `The authorization header is malformed; the region '${req.region}' is wrong; expecting '${b.region}'`,
      400,
    );
    throw err;
  }
  switch (req.operation) {
    case "GetBucketEncryption":
      if (!b.encryption)
        throw new ServiceError(
          "ServerSideEncryptionConfigurationNotFoundError",
          "The server side encryption configuration was not found",
          404,
        );
      return xml("ServerSideEncryptionConfiguration", {
        Rule: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: b.encryption.SSEAlgorithm,
              KMSMasterKeyID: b.encryption.KMSMasterKeyID,
            },
            BucketKeyEnabled: b.encryption.BucketKeyEnabled ?? false,
          },
        ],
      });
    case "GetBucketPolicy":
      if (!b.policy) throw new ServiceError("NoSuchBucketPolicy", "The bucket policy does not exist", 404);
      return { body: JSON.stringify(b.policy), contentType: "application/json" };
    case "GetPublicAccessBlock":
      if (!b.publicAccessBlock)
        throw new ServiceError(
          "NoSuchPublicAccessBlockConfiguration",
          "The public access block configuration was not found",
          404,
        );
      return xml("PublicAccessBlockConfiguration", b.publicAccessBlock);
    case "GetBucketVersioning":
      return xml("VersioningConfiguration", b.versioning ? { Status: b.versioning } : {});
    case "GetBucketLogging":
      return xml("BucketLoggingStatus", b.logging ? { LoggingEnabled: b.logging } : {});
    case "GetObjectLockConfiguration":
      if (!b.objectLock)
        throw new ServiceError(
          "ObjectLockConfigurationNotFoundError",
          "Object Lock configuration does not exist for this bucket",
          404,
        );
      return xml("ObjectLockConfiguration", { ObjectLockEnabled: "Enabled" });
    default:
      throw new ServiceError("NotImplemented", `stand-in does not implement s3:${req.operation}`, 501);
  }
}
