// The console's entry: Element Plus in Chinese, the pages (router.ts), and
// the way back to the login page when a session ends.
import { createApp } from "vue";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";
import "element-plus/dist/index.css";
import App from "./App.vue";
import { router } from "./router";
import { whenSessionEnds } from "./api/session";
import { stopLive } from "./api/live";

whenSessionEnds(() => {
  stopLive();
  void router.push({ name: "login" });
});

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount("#app");
