// The county's units, principals and assessment indicators, read once per
// login (ListUnits, ListPrincipals, ListIndicators) for names, pickers and
// the unit tree. They change rarely; the admin page reloads them after a
// change.
import { shallowReactive } from "vue";
import { Principal, Unit, UnitKind } from "../gen/duban/v1/directory_pb";
import type { Indicator } from "../gen/duban/v1/performance_pb";
import { api, listAll } from "./client";
import { idOf } from "./labels";

export const directory = shallowReactive({
  units: [] as Unit[],
  byName: new Map<string, Unit>(),
  principals: [] as Principal[],
  indicators: [] as Indicator[],
  indicatorsByName: new Map<string, Indicator>(),
  // `principals/li` → 李明, for showing who acted.
  principalNames: new Map<string, string>(),
});

export async function loadDirectory() {
  const units = await listAll(async (pageToken) => {
    const page = await api.directory.listUnits({ pageSize: 1000, pageToken });
    return { items: page.units, next: page.nextPageToken };
  });
  const principals = await listAll(async (pageToken) => {
    const page = await api.directory.listPrincipals({ pageSize: 1000, pageToken });
    return { items: page.principals, next: page.nextPageToken };
  });
  const indicators = await listAll(async (pageToken) => {
    const page = await api.performance.listIndicators({ pageSize: 500, pageToken });
    return { items: page.indicators, next: page.nextPageToken };
  });
  directory.indicators = indicators;
  directory.indicatorsByName = new Map(indicators.map((i) => [i.name, i]));
  directory.principals = principals;
  directory.principalNames = new Map(principals.map((p) => [p.name, p.displayName || p.name]));
  directory.units = units;
  directory.byName = new Map(units.map((unit) => [unit.name, unit]));
}

// 农业农村局 for `units/nongye`; the name itself for a unit not known.
export function unitName(name: string): string {
  if (!name) return "";
  return directory.byName.get(name)?.displayName ?? name;
}

export interface UnitNode {
  value: string;
  label: string;
  children?: UnitNode[];
}

// The units as a tree (parents before children), for el-tree-select.
export function unitTree(): UnitNode[] {
  const nodes = new Map<string, UnitNode>();
  for (const unit of directory.units) nodes.set(unit.name, { value: unit.name, label: unit.displayName });
  const roots: UnitNode[] = [];
  for (const unit of directory.units) {
    const node = nodes.get(unit.name)!;
    const parent = unit.parent ? nodes.get(unit.parent) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

// Units that may lead or help with work: departments and townships.
export function workingUnits(): Unit[] {
  return directory.units.filter((unit) =>
    unit.kind === UnitKind.DEPARTMENT || unit.kind === UnitKind.TOWNSHIP);
}

// 李明 for `principals/li`; the id for one not known.
export function principalName(name: string): string {
  if (!name) return "";
  return directory.principalNames.get(name) ?? idOf(name);
}

// 耕地保护 for `indicators/gengdi`; the code for one not known.
export function indicatorName(name: string): string {
  if (!name) return "";
  return directory.indicatorsByName.get(name)?.displayName ?? idOf(name);
}
