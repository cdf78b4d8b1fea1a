import {
  ConfigServiceClient,
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
import { setRuleCompliance } from "./config-rule.js";
import type { RegionContext } from "./context.js";

/**
 * Collect the AWS Config recorder, its status and delivery channel (into the region's account settings), and each
 * Config rule's compliance as supporting evidence (type aws.config.rule).
 */
export async function collectConfig(ctx: RegionContext): Promise<void> {
  const cfg = ctx.client(ConfigServiceClient);
  const acct = ctx.accountRegion;
  const [recorders, statuses, channels, rules] = await Promise.all([
    ctx.call("config:DescribeConfigurationRecorders", (abortSignal) =>
      cfg.send(new DescribeConfigurationRecordersCommand({}), { abortSignal }),
    ),
    ctx.call("config:DescribeConfigurationRecorderStatus", (abortSignal) =>
      cfg.send(new DescribeConfigurationRecorderStatusCommand({}), { abortSignal }),
    ),
    ctx.call("config:DescribeDeliveryChannels", (abortSignal) =>
      cfg.send(new DescribeDeliveryChannelsCommand({}), { abortSignal }),
    ),
    ctx.paginate(
      "config:DescribeComplianceByConfigRule",
      (NextToken, abortSignal) =>
        cfg.send(new DescribeComplianceByConfigRuleCommand({ NextToken }), { abortSignal }),
      (p) => p.ComplianceByConfigRules,
      (p) => p.NextToken,
    ),
  ]);
  const recorderProps = [
    "configRecorderExists",
    "configRecordsAllSupported",
    "configIncludesGlobalResources",
  ];
  if (recorders.ok && recorders.value.ConfigurationRecorders) {
    const r = recorders.value.ConfigurationRecorders[0];
    const group = r?.recordingGroup;
    acct
      .cite(recorders.evidence)
      .set("configRecorderExists", Boolean(r))
      .set(
        "configRecordsAllSupported",
        Boolean(
          group &&
            (group.allSupported === true ||
              group.recordingStrategy?.useOnly === "ALL_SUPPORTED_RESOURCE_TYPES"),
        ),
      )
      .set("configIncludesGlobalResources", group?.includeGlobalResourceTypes === true);
  } else
    acct.miss(
      recorderProps,
      recorders.ok
        ? "malformed response on config:DescribeConfigurationRecorders"
        : recorders.absent
          ? `${recorders.code} on config:DescribeConfigurationRecorders`
          : recorders.reason,
    );
  if (statuses.ok && statuses.value.ConfigurationRecordersStatus) {
    const s = statuses.value.ConfigurationRecordersStatus[0];
    acct
      .cite(statuses.evidence)
      .set("configRecorderRecording", s?.recording === true)
      .set("configLastStatus", s?.lastStatus ?? null);
  } else
    acct.miss(
      ["configRecorderRecording", "configLastStatus"],
      statuses.ok
        ? "malformed response on config:DescribeConfigurationRecorderStatus"
        : statuses.absent
          ? `${statuses.code} on config:DescribeConfigurationRecorderStatus`
          : statuses.reason,
    );
  if (channels.ok && channels.value.DeliveryChannels)
    acct
      .cite(channels.evidence)
      .set("configDeliveryChannelExists", channels.value.DeliveryChannels.length > 0);
  else
    acct.miss(
      "configDeliveryChannelExists",
      channels.ok
        ? "malformed response on config:DescribeDeliveryChannels"
        : channels.absent
          ? `${channels.code} on config:DescribeDeliveryChannels`
          : channels.reason,
    );

  if (!rules.ok) {
    ctx.listFailed(["aws.config.rule"], rules.reason);
    return;
  }
  for (const r of rules.items) {
    const name = r.ConfigRuleName ?? "";
    const b = ctx
      .doc("aws.config.rule", `arn:aws:config:${ctx.region}:${ctx.account}:config-rule/${name}`, name)
      .cite(rules.evidence[0]);
    setRuleCompliance(b, name, r.Compliance, "config:DescribeComplianceByConfigRule");
    ctx.emit(b);
  }
}
