import { configurationOf } from "./document.js";
import type { ConfigTypeHandler } from "./handler.js";

/** AWS::ElasticLoadBalancingV2::LoadBalancer: not a document of its own; gives listeners their load balancer's name and scheme. */
export const elbv2LoadBalancer: ConfigTypeHandler = {
  configType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
  index(item, ctx) {
    const c = configurationOf(item);
    const arn = c.str("loadBalancerArn") ?? item.arn ?? item.resourceId;
    ctx.loadBalancers.set(arn.toLowerCase(), {
      name: c.str("loadBalancerName") ?? item.resourceName ?? null,
      scheme: c.str("scheme") ?? null,
    });
  },
};
