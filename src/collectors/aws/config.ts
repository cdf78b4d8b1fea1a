import {
  ConfigServiceClient,
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
import { chooseRecorder } from "../config-recorder-choice.js";
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
  const statusProps = ["configRecorderRecording", "configLastStatus"];
  const statusList = statuses.ok ? statuses.value.ConfigurationRecordersStatus : undefined;
  const statusFailure = statuses.ok
    ? "malformed response on config:DescribeConfigurationRecorderStatus"
    : statuses.absent
      ? `${statuses.code} on config:DescribeConfigurationRecorderStatus`
      : statuses.reason;
  if (recorders.ok && recorders.value.ConfigurationRecorders) {
    // A region may have several recorders (service-linked ones beside the customer's): each recorder's facts are
    // paired with its own status by name, and one recorder speaks for the region (see chooseRecorder).
    const chosen = chooseRecorder(
      recorders.value.ConfigurationRecorders.map((r) => {
        const group = r.recordingGroup;
        const status = statusList?.find((s) => s.name === r.name);
        return {
          name: r.name ?? "",
          status,
          recording: status ? status.recording === true : null,
          allSupported: Boolean(
            group &&
              (group.allSupported === true ||
                group.recordingStrategy?.useOnly === "ALL_SUPPORTED_RESOURCE_TYPES"),
          ),
          includeGlobal: group?.includeGlobalResourceTypes === true,
        };
      }),
    );
    acct
      .cite(recorders.evidence)
      .set("configRecorderExists", Boolean(chosen))
      .set("configRecordsAllSupported", chosen?.allSupported ?? false)
      .set("configIncludesGlobalResources", chosen?.includeGlobal ?? false);
    if (!statuses.ok || !statusList) acct.miss(statusProps, statusFailure);
    else if (!chosen || chosen.status)
      acct
        .cite(statuses.evidence)
        .set("configRecorderRecording", chosen?.status?.recording === true)
        .set("configLastStatus", chosen?.status?.lastStatus ?? null);
    else
      acct.miss(
        statusProps,
        `config:DescribeConfigurationRecorderStatus did not report recorder ${chosen.name} (listed by config:DescribeConfigurationRecorders)`,
      );
  } else {
    acct.miss(
      recorderProps,
      recorders.ok
        ? "malformed response on config:DescribeConfigurationRecorders"
        : recorders.absent
          ? `${recorders.code} on config:DescribeConfigurationRecorders`
          : recorders.reason,
    );
    // Without the recorder list, a status can be told apart from another only when there is one.
    if (!statuses.ok || !statusList) acct.miss(statusProps, statusFailure);
    else if (statusList.length <= 1)
      acct
        .cite(statuses.evidence)
        .set("configRecorderRecording", statusList[0]?.recording === true)
        .set("configLastStatus", statusList[0]?.lastStatus ?? null);
    else
      acct.miss(
        statusProps,
        "several recorders and no config:DescribeConfigurationRecorders answer to tell which records all resource types",
      );
  }
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
      .doc(
        "aws.config.rule",
        `arn:${ctx.partition}:config:${ctx.region}:${ctx.account}:config-rule/${name}`,
        name,
      )
      .cite(rules.evidence[0]);
    setRuleCompliance(b, name, r.Compliance, "config:DescribeComplianceByConfigRule");
    ctx.emit(b);
  }
}
