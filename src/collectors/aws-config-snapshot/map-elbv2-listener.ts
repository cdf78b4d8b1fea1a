import { configurationOf, REASON, startDocument } from "./document.js";
import { elbSecurityPolicy, minTlsVersion } from "./elb-security-policies.js";
import type { ConfigTypeHandler } from "./handler.js";
import { invalid, show } from "./node.js";

const PLAINTEXT = new Set(["HTTP", "TCP", "UDP", "TCP_UDP", "GENEVE"]);
const TLS_TERMINATING = new Set(["HTTPS", "TLS"]);
const TERMINAL_ACTIONS = new Set(["forward", "redirect", "fixed-response"]);

/** The load balancer's name as its ARN spells it (`…:loadbalancer/app/<name>/<id>`). */
function nameFromArn(arn: string): string | null {
  const m = /:loadbalancer\/(?:app|net|gwy)\/([^/]+)\//.exec(arn);
  return m ? m[1] : null;
}

/**
 * AWS::ElasticLoadBalancingV2::Listener → aws.elbv2.listener. The item names the security policy only; protocols
 * and ciphers come from the table of predefined policies, and a policy not in it leaves them missing.
 */
export const elbv2Listener: ConfigTypeHandler = {
  configType: "AWS::ElasticLoadBalancingV2::Listener",
  map(item, ctx) {
    const c = configurationOf(item);
    const listenerArn = c.str("ListenerArn") ?? item.resourceId;
    const lbArn = c.str("LoadBalancerArn");
    const lb = lbArn ? ctx.loadBalancers.get(lbArn.toLowerCase()) : undefined;
    const lbName = (lb && !lb.conflict ? lb.name : null) ?? (lbArn ? nameFromArn(lbArn) : null);
    const portValue = c.raw("Port");
    const protocolValue = c.raw("Protocol");
    // Listeners have no name of their own; "<load balancer>:<protocol>:<port>", as the live collector names them.
    const display =
      lbName && typeof portValue === "number" && typeof protocolValue === "string"
        ? `${lbName}:${protocolValue}:${portValue}`
        : null;
    const b = startDocument("aws.elbv2.listener", item, ctx, {
      name: display ?? item.resourceName ?? listenerArn,
      arn: () => listenerArn,
    });

    b.field("loadBalancerArn", lbArn);
    if (lb && !lb.conflict) b.set("loadBalancerName", lbName).set("loadBalancerScheme", lb.scheme);
    else if (lb?.conflict) {
      if (lbName) b.set("loadBalancerName", lbName);
      else b.miss("loadBalancerName", lb.conflict);
      b.miss("loadBalancerScheme", lb.conflict);
    } else {
      const fromArn = lbArn ? nameFromArn(lbArn) : null;
      if (fromArn) b.set("loadBalancerName", fromArn);
      else b.miss("loadBalancerName", lbArn ? "the load balancer ARN does not name it" : REASON.notInItem);
      b.miss(
        "loadBalancerScheme",
        lbArn
          ? "the load balancer's AWS::ElasticLoadBalancingV2::LoadBalancer item is not in the loaded snapshots (use --aws)"
          : REASON.notInItem,
      );
    }

    const protocol = c.str("Protocol");
    b.field("protocol", protocol);
    const port = c.int("Port");
    if (typeof port === "number" && (port < 0 || port > 65535))
      throw invalid(c.at("Port"), `is ${port}; must be a port number (0-65535)`);
    b.field("port", port);
    const certs = c.nodes("Certificates");
    b.field(
      "certificateArns",
      certs?.map((x) => x.str("CertificateArn")).filter((a): a is string => typeof a === "string"),
      { value: [] },
    );

    const policyName = c.str("SslPolicy");
    if (protocol && PLAINTEXT.has(protocol)) {
      b.set("sslPolicy", null)
        .set("sslPolicyMinTlsVersion", null)
        .set("sslPolicyProtocols", [])
        .set("sslPolicyCiphers", []);
    } else if (protocol && TLS_TERMINATING.has(protocol)) {
      b.field("sslPolicy", policyName);
      const policy = policyName ? elbSecurityPolicy(policyName) : undefined;
      if (policy) {
        b.set("sslPolicyMinTlsVersion", minTlsVersion(policy.protocols))
          .set("sslPolicyProtocols", [...policy.protocols])
          .set("sslPolicyCiphers", [...policy.ciphers]);
      } else {
        const reason = policyName
          ? `security policy ${show(policyName)} is not one of the predefined ELB policies Cipherproof knows; its protocols are not in the snapshot (use --aws)`
          : `the security policy is unknown: ${item.partial ? REASON.notSelected : REASON.notInItem}`;
        b.miss("sslPolicyMinTlsVersion", reason)
          .miss("sslPolicyProtocols", reason)
          .miss("sslPolicyCiphers", reason);
      }
    } else {
      const reason = protocol
        ? `protocol ${show(protocol)} has no ELB security policy to read`
        : `the protocol is unknown: ${REASON.notInItem}`;
      b.field("sslPolicy", policyName);
      b.miss("sslPolicyMinTlsVersion", reason)
        .miss("sslPolicyProtocols", reason)
        .miss("sslPolicyCiphers", reason);
    }

    // The first terminal default action (by Order) decides what a request gets; authenticate-* actions come before it.
    const actions = c.nodes("DefaultActions");
    if (!actions) b.field("redirectsToHttps", actions);
    else {
      const ordered = actions
        .map((a, i) => ({ a, order: a.int("Order") ?? Number.MAX_SAFE_INTEGER, i }))
        .sort((x, y) => x.order - y.order || x.i - y.i);
      const terminal = ordered.find(({ a }) => TERMINAL_ACTIONS.has((a.str("Type") ?? "").toLowerCase()))?.a;
      let redirects = false;
      if (terminal && (terminal.str("Type") ?? "").toLowerCase() === "redirect") {
        const target = terminal.obj("RedirectConfig")?.str("Protocol");
        redirects = target === "HTTPS" || (target === "#{protocol}" && protocol === "HTTPS");
      }
      b.set("redirectsToHttps", redirects);
    }
    // An HTTP listener's rules (beyond its default action) are separate resources a listener item does not carry.
    if (protocol === "HTTP")
      b.miss(
        "rulesServePlaintext",
        "listener rules are not in AWS::ElasticLoadBalancingV2::Listener configuration items (use --aws)",
      );
    else if (typeof protocol === "string") b.set("rulesServePlaintext", null);
    else b.miss("rulesServePlaintext", "the listener's protocol is not in this configuration item");
    return b.build();
  },
};
