import { configurationOf } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";

/** AWS::ElasticLoadBalancingV2::LoadBalancer: not a document of its own; gives listeners their load balancer's name and scheme. */
export const elbv2LoadBalancer: ConfigTypeHandler = {
  configType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
  index(item, ctx) {
    const c = configurationOf(item);
    const arn = c.str("loadBalancerArn") ?? item.arn ?? item.resourceId;
    const info = {
      name: c.str("loadBalancerName") ?? item.resourceName ?? null,
      scheme: c.str("scheme") ?? null,
    };
    const key = arn.toLowerCase();
    const prev = ctx.loadBalancers.get(key);
    // Only the latest items of each load balancer reach here: a second one is a tie in capture time, and if the two
    // disagree, which one is current is unknown.
    if (prev && (prev.conflict || prev.name !== info.name || prev.scheme !== info.scheme))
      ctx.loadBalancers.set(key, {
        name: null,
        scheme: null,
        conflict: `AWS::ElasticLoadBalancingV2::LoadBalancer items of ${arn} captured at the same time disagree; which is current is unknown`,
      });
    else ctx.loadBalancers.set(key, info);
  },
};
