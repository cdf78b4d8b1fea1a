import { common, defineType } from "../define.js";

/** Elastic Load Balancing v2 listener (ALB / NLB). */
export default defineType("aws.elbv2.listener", "A listener of an Application or Network Load Balancer.", {
  loadBalancerArn: { type: "string", description: "ARN of the load balancer." },
  loadBalancerName: { type: ["string", "null"], description: "Name of the load balancer." },
  loadBalancerScheme: {
    type: ["string", "null"],
    enum: ["internet-facing", "internal", null],
    description: "internet-facing or internal.",
  },
  protocol: {
    type: "string",
    enum: ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"],
    description: "Listener protocol.",
  },
  port: { type: "integer", minimum: 0, maximum: 65535, description: "Listener port." },
  sslPolicy: { type: ["string", "null"], description: "Security policy name for HTTPS/TLS listeners." },
  sslPolicyMinTlsVersion: {
    ...common.tlsVersion,
    type: ["number", "null"],
    enum: [1.0, 1.1, 1.2, 1.3, null],
    description:
      "Lowest TLS version the security policy allows (from the policy's protocols, not its name); null for plaintext listeners.",
  },
  sslPolicyProtocols: {
    type: "array",
    items: { type: "string" },
    description: "Protocols the security policy allows, e.g. TLSv1.2.",
  },
  sslPolicyCiphers: {
    type: "array",
    items: { type: "string" },
    description: "Cipher suites the security policy allows (OpenSSL names).",
  },
  redirectsToHttps: {
    type: "boolean",
    description: "The default action redirects to HTTPS (protocol HTTPS in a redirect action).",
  },
  rulesServePlaintext: {
    type: ["boolean", "null"],
    description:
      "An HTTP listener has a rule besides its default action that answers requests itself (forward, fixed response, authenticate) instead of redirecting them to HTTPS; null for other protocols.",
  },
  certificateArns: {
    type: "array",
    items: { type: "string" },
    description: "Certificates served by the listener.",
  },
});
