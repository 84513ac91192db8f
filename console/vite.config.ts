// Builds the console into build/console, the directory `duband
// --console_dir` serves (scripts/build, scripts/run). `npm run dev` serves
// it from source and sends API calls to a duband on 127.0.0.1:7480.
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: "../build/console",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { "/duban.v1.": "http://127.0.0.1:7480" } },
});
