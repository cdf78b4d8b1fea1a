import { describe, expect, it } from "vitest";
import {
  ELB_SECURITY_POLICIES,
  elbSecurityPolicy,
  minTlsVersion,
} from "../../../src/collectors/aws-config-snapshot/elb-security-policies.js";
import { ACCOUNT, ci, expectValidDocuments, mapFiles, mapItems, only, snapshot } from "./fixtures.js";

const LB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/portal/50dc6c495c0c9188`;
const listenerArn = (id: string) =>
  `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener/app/portal/50dc6c495c0c9188/${id}`;
const lb = ci(
  "AWS::ElasticLoadBalancingV2::LoadBalancer",
  LB,
  { loadBalancerArn: LB, loadBalancerName: "portal", scheme: "internal", type: "application" },
  { ARN: LB, resourceName: "portal" },
);
const listener = (id: string, config: Record<string, unknown>) =>
  ci(
    "AWS::ElasticLoadBalancingV2::Listener",
    listenerArn(id),
    { ListenerArn: listenerArn(id), LoadBalancerArn: LB, ...config },
    { ARN: listenerArn(id), resourceName: null },
  );
const forward = [
  { Type: "forward", Order: 1, TargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/1" },
];

describe("AWS::ElasticLoadBalancingV2::Listener → aws.elbv2.listener", () => {
  it("maps an HTTPS listener with a predefined TLS 1.3 policy, naming it after its load balancer", () => {
    const r = mapItems(
      lb,
      listener("a", {
        Port: 443,
        Protocol: "HTTPS",
        SslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        Certificates: [{ CertificateArn: "arn:aws:acm:us-east-1:1:certificate/c" }],
        DefaultActions: forward,
      }),
    );
    expect(r.unsupportedTypes).toEqual({});
    const doc = only(r, "aws.elbv2.listener");
    expect(doc.name).toBe("portal:HTTPS:443");
    expect(doc.properties).toEqual({
      loadBalancerArn: LB,
      loadBalancerName: "portal",
      loadBalancerScheme: "internal",
      protocol: "HTTPS",
      port: 443,
      certificateArns: ["arn:aws:acm:us-east-1:1:certificate/c"],
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
      sslPolicyMinTlsVersion: 1.2,
      sslPolicyProtocols: ["TLSv1.2", "TLSv1.3"],
      sslPolicyCiphers: [
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
      ],
      redirectsToHttps: false,
      rulesServePlaintext: null,
    });
    expect(doc.missing).toEqual({});
    expectValidDocuments(r.resources);
  });

  it("ELBSecurityPolicy-2016-08 allows TLS 1.0", () => {
    const doc = only(
      mapItems(
        lb,
        listener("b", {
          Port: 443,
          Protocol: "HTTPS",
          SslPolicy: "ELBSecurityPolicy-2016-08",
          DefaultActions: forward,
        }),
      ),
      "aws.elbv2.listener",
    );
    expect(doc.properties).toMatchObject({
      sslPolicyMinTlsVersion: 1.0,
      sslPolicyProtocols: ["TLSv1", "TLSv1.1", "TLSv1.2"],
    });
  });

  it("a policy missing from the table leaves the TLS facts missing", () => {
    const doc = only(
      mapItems(
        lb,
        listener("c", {
          Port: 8443,
          Protocol: "TLS",
          SslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2099-01",
          DefaultActions: forward,
        }),
      ),
      "aws.elbv2.listener",
    );
    expect(doc.properties.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2099-01");
    for (const p of ["sslPolicyMinTlsVersion", "sslPolicyProtocols", "sslPolicyCiphers"]) {
      expect(doc.properties).not.toHaveProperty(p);
      expect(doc.missing?.[p]).toMatch(/not one of the predefined ELB policies/);
    }
    expectValidDocuments([doc]);
  });

  it("an HTTP listener redirecting to HTTPS, and one forwarding in plaintext", () => {
    const redirect = only(
      mapItems(
        lb,
        listener("d", {
          Port: 80,
          Protocol: "HTTP",
          DefaultActions: [
            {
              Type: "redirect",
              Order: 1,
              RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" },
            },
          ],
        }),
      ),
      "aws.elbv2.listener",
    );
    expect(redirect.properties).toMatchObject({
      protocol: "HTTP",
      redirectsToHttps: true,
      sslPolicy: null,
      sslPolicyMinTlsVersion: null,
      sslPolicyProtocols: [],
    });
    const plain = only(
      mapItems(lb, listener("e", { Port: 80, Protocol: "HTTP", DefaultActions: forward })),
      "aws.elbv2.listener",
    );
    expect(plain.properties.redirectsToHttps).toBe(false);
    // An HTTP listener's rules are not in the item: whether one forwards in cleartext is unknown.
    expect(redirect.properties).not.toHaveProperty("rulesServePlaintext");
    expect(redirect.missing?.rulesServePlaintext).toMatch(/listener rules are not in/);
    // The first terminal action by Order decides, after authenticate actions.
    const ordered = only(
      mapItems(
        lb,
        listener("f", {
          Port: 80,
          Protocol: "HTTP",
          DefaultActions: [
            { Type: "redirect", Order: 3, RedirectConfig: { Protocol: "HTTPS" } },
            { Type: "authenticate-oidc", Order: 1 },
            { Type: "fixed-response", Order: 2, FixedResponseConfig: { StatusCode: "200" } },
          ],
        }),
      ),
      "aws.elbv2.listener",
    );
    expect(ordered.properties.redirectsToHttps).toBe(false);
    expectValidDocuments([redirect, plain, ordered]);
  });

  it("without the load balancer item the name comes from the ARN and the scheme is missing", () => {
    const doc = only(
      mapItems(
        listener("g", {
          Port: 443,
          Protocol: "HTTPS",
          SslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
          DefaultActions: forward,
        }),
      ),
      "aws.elbv2.listener",
    );
    expect(doc.properties.loadBalancerName).toBe("portal");
    expect(doc.missing?.loadBalancerScheme).toMatch(/LoadBalancer item is not in the loaded snapshots/);
  });

  it("finds the load balancer in another file", () => {
    const r = mapFiles(
      {
        doc: snapshot(listener("h", { Port: 80, Protocol: "HTTP", DefaultActions: forward })),
        file: "listeners.json",
      },
      { doc: snapshot(lb), file: "balancers.json" },
    );
    expect(only(r, "aws.elbv2.listener").properties.loadBalancerScheme).toBe("internal");
  });
});

describe("elb-security-policies table", () => {
  it("knows the policies the brief names, with the protocols AWS documents", () => {
    const expected: Record<string, number> = {
      "ELBSecurityPolicy-2016-08": 1.0,
      "ELBSecurityPolicy-TLS-1-0-2015-04": 1.0,
      "ELBSecurityPolicy-TLS-1-1-2017-01": 1.1,
      "ELBSecurityPolicy-TLS-1-2-2017-01": 1.2,
      "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": 1.2,
      "ELBSecurityPolicy-FS-2018-06": 1.0,
      "ELBSecurityPolicy-FS-1-1-2019-08": 1.1,
      "ELBSecurityPolicy-FS-1-2-2019-08": 1.2,
      "ELBSecurityPolicy-FS-1-2-Res-2019-08": 1.2,
      "ELBSecurityPolicy-FS-1-2-Res-2020-10": 1.2,
      "ELBSecurityPolicy-TLS13-1-0-2021-06": 1.0,
      "ELBSecurityPolicy-TLS13-1-1-2021-06": 1.1,
      "ELBSecurityPolicy-TLS13-1-2-2021-06": 1.2,
      "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": 1.2,
      "ELBSecurityPolicy-TLS13-1-3-2021-06": 1.3,
      "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": 1.2,
    };
    for (const [name, min] of Object.entries(expected)) {
      const p = elbSecurityPolicy(name);
      expect(p, name).toBeDefined();
      expect(minTlsVersion(p!.protocols), name).toBe(min);
    }
    expect(elbSecurityPolicy("ELBSecurityPolicy-TLS13-1-3-2021-06")?.protocols).toEqual(["TLSv1.3"]);
    expect(elbSecurityPolicy("ELBSecurityPolicy-TLS-1-0-2015-04")?.ciphers).toContain("DES-CBC3-SHA");
    expect(elbSecurityPolicy("toString")).toBeUndefined();
  });

  it("TLS 1.3 ciphers appear only in policies allowing TLS 1.3, and every policy has ciphers", () => {
    for (const [name, p] of Object.entries(ELB_SECURITY_POLICIES)) {
      expect(p.ciphers.length, name).toBeGreaterThan(0);
      expect(new Set(p.ciphers).size, `${name} has duplicate ciphers`).toBe(p.ciphers.length);
      expect(
        p.ciphers.some((c) => c.startsWith("TLS_")),
        name,
      ).toBe(p.protocols.includes("TLSv1.3"));
    }
  });
  it("leaves the scheme missing when items of the load balancer captured at the same time disagree", () => {
    const facing = ci(
      "AWS::ElasticLoadBalancingV2::LoadBalancer",
      LB,
      { loadBalancerArn: LB, loadBalancerName: "portal", scheme: "internet-facing", type: "application" },
      { ARN: LB, resourceName: "portal" },
    );
    const https = listener("t", { Port: 443, Protocol: "HTTPS", DefaultActions: forward });
    for (const items of [
      [lb, facing, https],
      [facing, lb, https],
    ]) {
      const doc = only(mapItems(...items), "aws.elbv2.listener");
      expect(doc.properties.loadBalancerName).toBe("portal"); // from the ARN
      expect(doc.properties.loadBalancerScheme).toBeUndefined();
      expect(doc.missing?.loadBalancerScheme).toMatch(/captured at the same time disagree/);
    }
    // Identical items are no conflict.
    expect(only(mapItems(lb, lb, https), "aws.elbv2.listener").properties.loadBalancerScheme).toBe(
      "internal",
    );
  });
});
