import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeSSLPoliciesCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
  type SslPolicy,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { RegionContext } from "./context.js";
import { mapLimit } from "./each.js";

const TYPE = "aws.elbv2.listener";
const TLS_VERSIONS: Record<string, number> = {
  TLSv1: 1.0,
  "TLSv1.0": 1.0,
  "TLSv1.1": 1.1,
  "TLSv1.2": 1.2,
  "TLSv1.3": 1.3,
};

/** The lowest TLS version a list of protocol names allows, or undefined when none is a TLS version. */
export function lowestTls(protocols: string[]): number | undefined {
  const v = protocols.map((p) => TLS_VERSIONS[p]).filter((n): n is number => n !== undefined);
  return v.length ? Math.min(...v) : undefined;
}

/** Actions that end in a redirect to HTTPS (protocol HTTPS in a redirect action). */
function redirectsToHttps(actions: Action[] | undefined): boolean {
  return (actions ?? []).some(
    (a) => a.Type === "redirect" && (a.RedirectConfig?.Protocol ?? "").toUpperCase() === "HTTPS",
  );
}

/** Collect ELBv2 listeners; TLS policies are judged by the protocols and ciphers DescribeSSLPolicies says they allow. */
export async function collectElbv2(ctx: RegionContext): Promise<void> {
  const elb = ctx.client(ElasticLoadBalancingV2Client);
  const lbs = await ctx.paginate(
    "elasticloadbalancing:DescribeLoadBalancers",
    (Marker, abortSignal) =>
      elb.send(new DescribeLoadBalancersCommand({ Marker, PageSize: 400 }), { abortSignal }),
    (p) => p.LoadBalancers,
    (p) => p.NextMarker,
  );
  if (!lbs.ok) {
    ctx.listFailed([TYPE], lbs.reason);
    return;
  }
  const perLb: Array<{
    lb: LoadBalancer;
    listeners: Listener[];
    evidence: import("../../core/types.js").EvidenceRef | undefined;
  }> = [];
  await mapLimit(lbs.items as LoadBalancer[], async (lb) => {
    const listeners = await ctx.paginate(
      "elasticloadbalancing:DescribeListeners",
      (Marker, abortSignal) =>
        elb.send(
          new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn, Marker, PageSize: 400 }),
          { abortSignal },
        ),
      (p) => p.Listeners,
      (p) => p.NextMarker,
    );
    // Listeners of this load balancer could not be listed: one error document for it, the rest go on.
    if (!listeners.ok)
      ctx.listFailed(
        [TYPE],
        listeners.reason,
        ctx.region,
        `listeners of ${lb.LoadBalancerName ?? lb.LoadBalancerArn}`,
      );
    else perLb.push({ lb, listeners: listeners.items, evidence: listeners.evidence[0] });
  });

  const names = [
    ...new Set(perLb.flatMap((x) => x.listeners.map((l) => l.SslPolicy).filter((n): n is string => !!n))),
  ].sort();
  const policies = new Map<string, SslPolicy>();
  let policyFailure: string | undefined;
  for (let i = 0; i < names.length; i += 20) {
    const batch = names.slice(i, i + 20);
    const got = await ctx.paginate(
      "elasticloadbalancing:DescribeSSLPolicies",
      (Marker, abortSignal) =>
        elb.send(new DescribeSSLPoliciesCommand({ Names: batch, Marker, PageSize: 400 }), { abortSignal }),
      (p) => p.SslPolicies,
      (p) => p.NextMarker,
    );
    if (!got.ok) policyFailure = got.reason;
    else for (const p of got.items) if (p.Name) policies.set(p.Name, p);
  }

  for (const { lb, listeners, evidence } of perLb) {
    for (const l of listeners) {
      const arn = l.ListenerArn ?? `${lb.LoadBalancerArn}/listener/${l.Port}`;
      const b = ctx
        .doc(TYPE, arn, `${lb.LoadBalancerName ?? "lb"}:${l.Protocol ?? "?"}:${l.Port ?? "?"}`)
        .cite(evidence);
      b.set("loadBalancerArn", lb.LoadBalancerArn ?? "")
        .set("loadBalancerName", lb.LoadBalancerName ?? null)
        .set("loadBalancerScheme", lb.Scheme ?? null)
        .set("protocol", l.Protocol)
        .set("port", l.Port)
        .set("sslPolicy", l.SslPolicy ?? null)
        .set("certificateArns", (l.Certificates ?? []).map((c) => c.CertificateArn ?? "").filter(Boolean))
        .set("redirectsToHttps", redirectsToHttps(l.DefaultActions));
      if (l.Protocol !== "HTTP") b.set("rulesServePlaintext", null);
      else {
        // The default action covers only requests no rule matches: a rule that forwards /api/* serves it in clear.
        const rules = await ctx.paginate(
          "elasticloadbalancing:DescribeRules",
          (Marker, abortSignal) =>
            elb.send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn, Marker, PageSize: 400 }), {
              abortSignal,
            }),
          (p) => p.Rules,
          (p) => p.NextMarker,
        );
        if (!rules.ok) b.miss("rulesServePlaintext", rules.reason);
        else
          b.cite(rules.evidence[0]).set(
            "rulesServePlaintext",
            rules.items.some((r) => !r.IsDefault && !redirectsToHttps(r.Actions)),
          );
      }
      if (l.Protocol === undefined || l.Port === undefined)
        b.miss(["protocol", "port"], "malformed response on elasticloadbalancing:DescribeListeners");
      const tlsProps = ["sslPolicyMinTlsVersion", "sslPolicyProtocols", "sslPolicyCiphers"];
      if (!l.SslPolicy)
        b.set("sslPolicyMinTlsVersion", null).set("sslPolicyProtocols", []).set("sslPolicyCiphers", []);
      else {
        const p = policies.get(l.SslPolicy);
        if (!p)
          b.miss(
            tlsProps,
            policyFailure ?? `policy ${l.SslPolicy} not returned by elasticloadbalancing:DescribeSSLPolicies`,
          );
        else {
          const protocols = p.SslProtocols ?? [];
          const min = lowestTls(protocols);
          b.set("sslPolicyProtocols", protocols).set(
            "sslPolicyCiphers",
            (p.Ciphers ?? [])
              .sort((a, c) => (a.Priority ?? 0) - (c.Priority ?? 0))
              .map((c) => c.Name ?? "")
              .filter(Boolean),
          );
          if (min === undefined)
            b.miss(
              "sslPolicyMinTlsVersion",
              `policy ${l.SslPolicy} lists no TLS protocol version (${protocols.join(", ") || "none"})`,
            );
          else b.set("sslPolicyMinTlsVersion", min);
        }
      }
      ctx.emit(b);
    }
  }
}
