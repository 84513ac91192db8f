// The county's assessment indicators, read once per page for pickers and
// for the names shown in the ledger.
import { shallowReactive } from "vue";
import type { Indicator } from "../../gen/duban/v1/performance_pb";
import { api } from "../../api/client";
import { idOf } from "../../api/labels";

export const indicators = shallowReactive({ list: [] as Indicator[], byName: new Map<string, Indicator>() });

export async function loadIndicators() {
  const reply = await api.performance.listIndicators({ pageSize: 500 });
  indicators.list = reply.indicators;
  indicators.byName = new Map(reply.indicators.map((i) => [i.name, i]));
}

// 耕地保护 for `indicators/gengdi`; the code for one not known.
export function indicatorName(name: string): string {
  if (!name) return "";
  return indicators.byName.get(name)?.displayName ?? idOf(name);
}

// `tickets/12` from `12` or `tickets/12`; "" from "".
export function ticketRef(text: string): string {
  const value = text.trim();
  return /^\d+$/.test(value) ? `tickets/${value}` : value;
}

// The references typed as `a, b，c` as a list.
export function evidenceList(text: string): string[] {
  return text.split(/[,，\n]/).map((part) => part.trim()).filter((part) => part !== "");
}
