// The console's pages, and which roles see each in the menu. The server
// still decides every call; the menu only hides what would be refused.
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { Role } from "./gen/duban/v1/directory_pb";
import { hasRole, session } from "./api/session";

export type PageMeta = {
  title: string;
  // Roles that see the page in the menu; empty: everyone.
  roles: Role[];
  menu: boolean;
};

declare module "vue-router" {
  interface RouteMeta {
    title?: string;
    roles?: Role[];
    menu?: boolean;
  }
}

const page = (title: string, roles: Role[], menu = true): PageMeta => ({ title, roles, menu });

export const routes: RouteRecordRaw[] = [
  { path: "/login", name: "login", component: () => import("./pages/LoginPage.vue"), meta: { title: "登录" } },
  { path: "/overview", name: "overview", component: () => import("./pages/OverviewPage.vue"),
    meta: page("督办总览", [Role.LEADER, Role.INSPECTOR]) },
  { path: "/todo", name: "todo", component: () => import("./pages/TodoPage.vue"),
    meta: page("我的待办", [Role.UNIT_STAFF]) },
  { path: "/issue", name: "issue", component: () => import("./pages/IssuePage.vue"),
    meta: page("部署任务 / 发现问题", [Role.LEADER, Role.INSPECTOR]) },
  { path: "/accountability", name: "accountability",
    component: () => import("./pages/AccountabilityPage.vue"),
    meta: page("问责", [Role.DISCIPLINE, Role.ORGANIZATION, Role.LEADER]) },
  { path: "/performance", name: "performance", component: () => import("./pages/PerformancePage.vue"),
    meta: page("绩效", []) },
  { path: "/draws", name: "draws", component: () => import("./pages/DrawPage.vue"),
    meta: page("抽签", [Role.INSPECTOR]) },
  { path: "/admin", name: "admin", component: () => import("./pages/AdminPage.vue"),
    meta: page("管理", [Role.ADMIN]) },
  { path: "/tickets/:id", name: "ticket", component: () => import("./pages/TicketPage.vue"),
    meta: page("工单详情", [], false) },
  { path: "/:rest(.*)*", name: "home", component: { render: () => null } },
];

export function mayOpen(meta: Partial<PageMeta>): boolean {
  return !meta.roles?.length || hasRole(...meta.roles);
}

// The first page of the menu the principal may open: 待办 for unit staff,
// 总览 for leaders and inspectors, and so on.
export function homeRoute(): string {
  const first = routes.find((route) => route.meta?.menu && mayOpen(route.meta));
  return first?.path ?? "/performance";
}

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  if (to.name === "login") return session.token ? homeRoute() : true;
  if (!session.token) return { name: "login" };
  if (to.name === "home") return homeRoute();
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 督办` : "督办";
});
