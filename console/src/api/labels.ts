// Chinese names of the API's enums, as county staff say them.
import {
  Card, DispositionKind, EscalationLevel, EscalationTarget, EventType, Holder, Severity, Stage,
  TicketKind,
} from "../gen/duban/v1/ticket_pb";
import { Role, Tier, UnitKind } from "../gen/duban/v1/directory_pb";
import { ChargeRole, LedgerEntryKind, LedgerSource } from "../gen/duban/v1/performance_pb";
import { ReferralTrigger } from "../gen/duban/v1/accountability_pb";

export const stageLabel: Record<Stage, string> = {
  [Stage.UNSPECIFIED]: "—",
  [Stage.DEPLOY]: "部署·待签收",
  [Stage.IMPLEMENT]: "落实",
  [Stage.INSPECT]: "督查·待验收",
  [Stage.FEEDBACK]: "反馈·待整改方案",
  [Stage.IMPROVE]: "整改",
  [Stage.CLOSED]: "已销号",
  [Stage.CANCELLED]: "已撤销",
};
// Shorter names of the open stages, for the overview's count cards.
export const stageShortLabel: Record<Stage, string> = {
  ...stageLabel,
  [Stage.DEPLOY]: "待签收",
  [Stage.INSPECT]: "待验收",
  [Stage.FEEDBACK]: "待整改方案",
};
export const openStages = [Stage.DEPLOY, Stage.IMPLEMENT, Stage.INSPECT, Stage.FEEDBACK, Stage.IMPROVE];

export const cardLabel: Record<Card, string> = {
  [Card.UNSPECIFIED]: "—",
  [Card.NONE]: "无",
  [Card.REMINDER]: "临近",
  [Card.YELLOW]: "黄牌",
  [Card.RED]: "红牌",
  [Card.REFERRED]: "问责",
};
// Element Plus tag types for a card.
export const cardTag: Record<Card, "" | "info" | "warning" | "danger" | "success"> = {
  [Card.UNSPECIFIED]: "info",
  [Card.NONE]: "success",
  [Card.REMINDER]: "info",
  [Card.YELLOW]: "warning",
  [Card.RED]: "danger",
  [Card.REFERRED]: "danger",
};
export const shownCards = [Card.REMINDER, Card.YELLOW, Card.RED, Card.REFERRED];

export const kindLabel: Record<TicketKind, string> = {
  [TicketKind.UNSPECIFIED]: "—",
  [TicketKind.TASK]: "部署任务",
  [TicketKind.FINDING]: "督查发现问题",
};

export const severityLabel: Record<Severity, string> = {
  [Severity.UNSPECIFIED]: "—",
  [Severity.NORMAL]: "一般",
  [Severity.MAJOR]: "较重",
  [Severity.HARD_FLAW]: "明显硬伤",
};

export const holderLabel: Record<Holder, string> = {
  [Holder.UNSPECIFIED]: "—",
  [Holder.LEAD_UNIT]: "牵头单位",
  [Holder.ISSUER]: "交办人",
  [Holder.INSPECTION]: "督查单位",
  [Holder.NONE]: "无",
};

export const eventLabel: Record<EventType, string> = {
  [EventType.UNSPECIFIED]: "—",
  [EventType.CREATED]: "创建",
  [EventType.SIGNED]: "签收",
  [EventType.DISPUTED]: "退单",
  [EventType.DISPUTE_REASSIGNED]: "改派",
  [EventType.DISPUTE_OVERRULED]: "驳回退单",
  [EventType.PROGRESS_REPORTED]: "报告进度",
  [EventType.SUBMITTED]: "提交报告",
  [EventType.PLAN_FILED]: "提交整改方案",
  [EventType.ACCEPTED]: "验收销号",
  [EventType.REJECTED]: "退回整改",
  [EventType.CANCELLED]: "撤销",
  [EventType.REOPENED]: "回头看·重新整改",
  [EventType.EXTENSION_REQUESTED]: "申请延期",
  [EventType.EXTENSION_GRANTED]: "同意延期",
  [EventType.EXTENSION_REFUSED]: "不同意延期",
  [EventType.ESCALATED]: "升级督办",
  [EventType.REFERRED]: "移交问责",
  [EventType.REFERRAL_DECIDED]: "问责处理",
};

export const levelLabel: Record<EscalationLevel, string> = {
  [EscalationLevel.UNSPECIFIED]: "—",
  [EscalationLevel.REMINDER]: "临近提醒",
  [EscalationLevel.YELLOW]: "黄牌·催办",
  [EscalationLevel.RED]: "红牌·督办",
  [EscalationLevel.REFERRAL]: "移交问责",
};

export const targetLabel: Record<EscalationTarget, string> = {
  [EscalationTarget.UNSPECIFIED]: "—",
  [EscalationTarget.ACTING_UNIT]: "责任单位",
  [EscalationTarget.UNIT_HEAD]: "单位主要负责人",
  [EscalationTarget.SUPERVISING_LEADER]: "县领导",
  [EscalationTarget.DISCIPLINE]: "纪委监委",
  [EscalationTarget.ORGANIZATION]: "组织部",
  [EscalationTarget.ISSUER]: "交办人",
};

export const dispositionLabel: Record<DispositionKind, string> = {
  [DispositionKind.UNSPECIFIED]: "—",
  [DispositionKind.TALK]: "约谈",
  [DispositionKind.CIRCULATED_CRITICISM]: "通报批评",
  [DispositionKind.ADMONISHMENT]: "诫勉",
  [DispositionKind.SANCTION]: "处分",
  [DispositionKind.EXEMPTED]: "免责",
};

export const triggerLabel: Record<ReferralTrigger, string> = {
  [ReferralTrigger.UNSPECIFIED]: "—",
  [ReferralTrigger.LADDER]: "逾期升级",
  [ReferralTrigger.HARD_FLAW]: "明显硬伤",
};

export const roleLabel: Record<Role, string> = {
  [Role.UNSPECIFIED]: "—",
  [Role.LEADER]: "县领导",
  [Role.INSPECTOR]: "督查人员",
  [Role.UNIT_STAFF]: "单位经办人",
  [Role.DISCIPLINE]: "纪委监委",
  [Role.ORGANIZATION]: "组织部",
  [Role.PERFORMANCE_OFFICE]: "目标绩效办",
  [Role.ESCALATOR]: "自动升级服务",
  [Role.ADMIN]: "系统管理员",
  [Role.REPLICA]: "副本服务器",
};

export const unitKindLabel: Record<UnitKind, string> = {
  [UnitKind.UNSPECIFIED]: "—",
  [UnitKind.LEADERSHIP]: "县委县政府",
  [UnitKind.DEPARTMENT]: "县直部门",
  [UnitKind.TOWNSHIP]: "乡镇",
  [UnitKind.VILLAGE]: "村",
  [UnitKind.DISCIPLINE]: "纪委监委",
  [UnitKind.ORGANIZATION]: "组织部",
  [UnitKind.PERFORMANCE_OFFICE]: "目标绩效办",
  [UnitKind.INSPECTION]: "督查室",
};

export const tierLabel: Record<Tier, string> = {
  [Tier.UNSPECIFIED]: "—",
  [Tier.NEAR]: "近",
  [Tier.MIDDLE]: "中",
  [Tier.FAR]: "远",
};

export const ledgerKindLabel: Record<LedgerEntryKind, string> = {
  [LedgerEntryKind.UNSPECIFIED]: "—",
  [LedgerEntryKind.DEDUCTION]: "扣分",
  [LedgerEntryKind.VETO_FAILURE]: "一票否决",
  [LedgerEntryKind.REVERSAL]: "冲销",
};

export const chargeRoleLabel: Record<ChargeRole, string> = {
  [ChargeRole.UNSPECIFIED]: "—",
  [ChargeRole.LEAD]: "牵头",
  [ChargeRole.COOPERATING]: "配合",
  [ChargeRole.ACCOUNTABLE]: "责任",
};

export const ledgerSourceLabel: Record<LedgerSource, string> = {
  [LedgerSource.UNSPECIFIED]: "—",
  [LedgerSource.MANUAL]: "人工录入",
  [LedgerSource.REFERRAL_RULE]: "问责自动扣分",
  [LedgerSource.LATE_CLOSE_RULE]: "逾期办结自动扣分",
};

// `tickets/42` → 42, for links and short labels.
export function idOf(name: string): string {
  return name.slice(name.indexOf("/") + 1);
}

// `tickets/12` from `12` or `tickets/12`; "" from "".
export function ticketRef(text: string): string {
  const value = text.trim();
  return /^\d+$/.test(value) ? `tickets/${value}` : value;
}

// References to evidence typed as `a, b，c` (or one a line) as a list.
export function evidenceList(text: string): string[] {
  return text.split(/[,，、\s]+/).filter((part) => part !== "");
}
