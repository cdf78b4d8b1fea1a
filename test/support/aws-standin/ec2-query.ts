// ec2Query: form-encoded POST with Action=…, XML out with lowerCamel names and <item> list members, no Result wrapper.
import {
  accountOf,
  page,
  regionOf,
  requestId,
  ServiceError,
  type StandInRequest,
  type StandInState,
} from "./common.js";
import type { Api } from "./fixture.js";
import { fieldsToXml, xmlEscape } from "./xml.js";

const NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

/** Serialize a successful EC2 response. */
export function ec2Body(req: StandInRequest, out: Record<string, Api>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${req.operation}Response xmlns="${NS}"><requestId>${requestId()}</requestId>${fieldsToXml(out, () => "item")}</${req.operation}Response>`;
}

/** Serialize an EC2 error. */
export function ec2Error(err: ServiceError): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`;
}

/** Handle one EC2 operation. */
export function handleEc2(state: StandInState, req: StandInRequest): Record<string, Api> {
  const p = req.params;
  const r = regionOf(state, req);
  switch (req.operation) {
    case "DescribeRegions":
      return {
        regionInfo: accountOf(state, req).regions.map((name) => ({
          regionName: name,
          regionEndpoint: `ec2.${name}.amazonaws.com`,
          optInStatus: "opt-in-not-required",
        })),
      };
    case "GetEbsEncryptionByDefault":
      return { ebsEncryptionByDefault: Boolean(r.ec2?.ebsEncryptionByDefault), sseType: "sse-ebs" };
    case "GetEbsDefaultKmsKeyId":
      return { kmsKeyId: r.ec2?.ebsDefaultKmsKeyId ?? `alias/aws/ebs` };
    case "DescribeVolumes": {
      const { items, next } = page(r.ec2?.volumes ?? [], p.NextToken, p.MaxResults, state.pageSize);
      return { volumeSet: items, ...(next ? { nextToken: next } : {}) };
    }
    default:
      throw new ServiceError("InvalidAction", `stand-in does not implement ec2:${req.operation}`);
  }
}
