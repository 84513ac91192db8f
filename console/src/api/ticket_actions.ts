// What a viewer may do to a ticket, as forms: which actions its stage and
// the viewer's role offer, the fields each asks for, and the call it makes.
// The server decides; this only keeps buttons off that would be refused
// for the role or the stage (docs/console.md).
import { Timestamp } from "@bufbuild/protobuf";
import { Role } from "../gen/duban/v1/directory_pb";
import { Stage, type Ticket } from "../gen/duban/v1/ticket_pb";
import {
  DisputeResolution, ExtensionDecision, ReviewVerdict,
} from "../gen/duban/v1/ticket_service_pb";
import { api } from "./client";
import { evidenceList } from "./labels";
import { endOfDay } from "./county";
import { hasRole, ownUnit, session } from "./session";

export type FieldKind = "text" | "textarea" | "percent" | "evidence" | "days" | "date" | "unit";

export interface ActionField {
  // The request's field path as the server names it in a refusal.
  key: string;
  label: string;
  kind: FieldKind;
  placeholder?: string;
  // Initial value.
  value?: string | number;
}

export type ActionValues = Record<string, string | number>;

export interface TicketAction {
  key: string;
  label: string;
  // Element Plus button type.
  type: "primary" | "success" | "warning" | "danger" | "default";
  fields: ActionField[];
  call: (ticket: Ticket, values: ActionValues) => Promise<Ticket>;
}

function text(values: ActionValues, key: string): string {
  return String(values[key] ?? "").trim();
}

function evidence(values: ActionValues, key = "evidence"): string[] {
  return evidenceList(text(values, key));
}

function days(values: ActionValues, key: string): number {
  return Number(values[key] ?? 0);
}

function dueDate(values: ActionValues, key: string): Timestamp | undefined {
  const date = text(values, key);
  return date ? Timestamp.fromDate(endOfDay(date)) : undefined;
}

const base = (ticket: Ticket) => ({ name: ticket.name, etag: ticket.etag, requestId: crypto.randomUUID() });

const progress: TicketAction = {
  key: "progress", label: "报告进度", type: "primary",
  fields: [
    { key: "comment", label: "进展情况", kind: "textarea" },
    { key: "progress_percent", label: "完成进度 %（0 为不变）", kind: "percent" },
    { key: "evidence", label: "佐证材料", kind: "evidence", placeholder: "材料编号，逗号分隔" },
  ],
  call: (ticket, v) => api.tickets.reportTicketProgress({
    ...base(ticket), comment: text(v, "comment"), progressPercent: Number(v.progress_percent ?? 0),
    evidence: evidence(v),
  }),
};

const extension: TicketAction = {
  key: "extension", label: "申请延期", type: "warning",
  fields: [
    { key: "reason", label: "延期理由", kind: "textarea" },
    { key: "proposed_due_time", label: "申请延至", kind: "date" },
  ],
  call: (ticket, v) => api.tickets.requestExtension({
    ...base(ticket), reason: text(v, "reason"), proposedDueTime: dueDate(v, "proposed_due_time"),
  }),
};

// The actions of the lead or a cooperating unit's staff.
function unitActions(ticket: Ticket): TicketAction[] {
  if (!hasRole(Role.UNIT_STAFF)) return [];
  const unit = ownUnit();
  const lead = unit !== "" && ticket.leadUnit === unit;
  const cooperating = unit !== "" && ticket.cooperatingUnits.includes(unit);
  const actions: TicketAction[] = [];
  switch (ticket.stage) {
    case Stage.DEPLOY:
      if (!lead) break;
      actions.push({
        key: "sign", label: "签收", type: "primary",
        fields: [{ key: "comment", label: "备注", kind: "text" }],
        call: (t, v) => api.tickets.signTicket({ ...base(t), comment: text(v, "comment") }),
      });
      if (!ticket.dispute) {
        actions.push({
          key: "dispute", label: "退单", type: "danger",
          fields: [{ key: "reason", label: "退单理由", kind: "textarea" }],
          call: (t, v) => api.tickets.disputeTicket({ ...base(t), reason: text(v, "reason") }),
        });
      }
      break;
    case Stage.IMPLEMENT:
    case Stage.IMPROVE: {
      if (lead || cooperating) actions.push(progress);
      if (!lead) break;
      const rectifying = ticket.stage === Stage.IMPROVE;
      actions.push({
        key: "submit", label: rectifying ? "提交整改报告" : "提交办结报告", type: "success",
        fields: [
          { key: "comment", label: rectifying ? "整改情况" : "办结情况", kind: "textarea" },
          { key: "evidence", label: "佐证材料", kind: "evidence", placeholder: "材料编号，逗号分隔" },
        ],
        call: (t, v) => api.tickets.submitTicket({ ...base(t), comment: text(v, "comment"), evidence: evidence(v) }),
      });
      if (!ticket.pendingExtension) actions.push(extension);
      break;
    }
    case Stage.FEEDBACK:
      if (!lead) break;
      actions.push({
        key: "plan", label: "提交整改方案", type: "primary",
        fields: [
          { key: "plan", label: "整改方案", kind: "textarea" },
          { key: "evidence", label: "佐证材料", kind: "evidence", placeholder: "材料编号，逗号分隔" },
        ],
        call: (t, v) => api.tickets.fileRectificationPlan({ ...base(t), plan: text(v, "plan"), evidence: evidence(v) }),
      });
      if (!ticket.pendingExtension) actions.push(extension);
      break;
  }
  return actions;
}

const reviewActions: TicketAction[] = [
  {
    key: "accept", label: "验收销号", type: "success",
    fields: [{ key: "findings", label: "验收意见", kind: "textarea" }],
    call: (t, v) => api.tickets.reviewTicket({
      ...base(t), verdict: ReviewVerdict.ACCEPT, findings: text(v, "findings"),
    }),
  },
  {
    key: "reject", label: "退回整改", type: "danger",
    fields: [
      { key: "findings", label: "发现的问题", kind: "textarea" },
      { key: "rectification_due_in.working_days", label: "整改期限（工作日）", kind: "days", value: 10 },
    ],
    call: (t, v) => api.tickets.reviewTicket({
      ...base(t), verdict: ReviewVerdict.REJECT, findings: text(v, "findings"),
      rectificationDueIn: { workingDays: days(v, "rectification_due_in.working_days") },
    }),
  },
];

// The actions of leaders and inspectors.
function supervisorActions(ticket: Ticket): TicketAction[] {
  const actions: TicketAction[] = [];
  const issuer = session.principal?.name === ticket.issuer;
  const leader = hasRole(Role.LEADER);
  const inspector = hasRole(Role.INSPECTOR);
  if (ticket.stage === Stage.INSPECT && (issuer || inspector)) actions.push(...reviewActions);
  if (ticket.stage === Stage.DEPLOY && ticket.dispute && leader) {
    actions.push(
      {
        key: "reassign", label: "改派", type: "primary",
        fields: [{ key: "new_lead_unit", label: "新牵头单位", kind: "unit" }],
        call: (t, v) => api.tickets.resolveTicketDispute({
          ...base(t), resolution: DisputeResolution.REASSIGN, newLeadUnit: text(v, "new_lead_unit"),
        }),
      },
      {
        key: "overrule", label: "驳回退单", type: "warning",
        fields: [{ key: "comment", label: "理由", kind: "textarea" }],
        call: (t, v) => api.tickets.resolveTicketDispute({
          ...base(t), resolution: DisputeResolution.OVERRULE, comment: text(v, "comment"),
        }),
      },
    );
  }
  if (ticket.pendingExtension && (issuer || leader)) {
    actions.push(
      {
        key: "grant", label: "同意延期", type: "success",
        fields: [{ key: "comment", label: "意见", kind: "text" }],
        call: (t, v) => api.tickets.decideExtension({
          ...base(t), decision: ExtensionDecision.GRANT, comment: text(v, "comment"),
        }),
      },
      {
        key: "refuse", label: "不同意延期", type: "danger",
        fields: [{ key: "comment", label: "理由", kind: "textarea" }],
        call: (t, v) => api.tickets.decideExtension({
          ...base(t), decision: ExtensionDecision.REFUSE, comment: text(v, "comment"),
        }),
      },
    );
  }
  if (ticket.stage === Stage.CLOSED && inspector) {
    actions.push({
      key: "reopen", label: "回头看·重新整改", type: "warning",
      fields: [
        { key: "findings", label: "发现的问题", kind: "textarea" },
        { key: "rectification_due_in.working_days", label: "整改期限（工作日）", kind: "days", value: 10 },
      ],
      call: (t, v) => api.tickets.reopenTicket({
        ...base(t), findings: text(v, "findings"),
        rectificationDueIn: { workingDays: days(v, "rectification_due_in.working_days") },
      }),
    });
  }
  if (issuer && ticket.stage !== Stage.CLOSED && ticket.stage !== Stage.CANCELLED) {
    actions.push({
      key: "cancel", label: "撤销", type: "danger",
      fields: [{ key: "reason", label: "撤销理由", kind: "textarea" }],
      call: (t, v) => api.tickets.cancelTicket({ ...base(t), reason: text(v, "reason") }),
    });
  }
  return actions;
}

export function actionsFor(ticket: Ticket): TicketAction[] {
  return [...unitActions(ticket), ...supervisorActions(ticket)];
}
