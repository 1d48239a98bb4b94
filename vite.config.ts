import { defineConfig } from "vite";

// The web frontend lives in ui/; Tauri embeds ui/dist (frontendDist) and, in `npm run dev`, loads
// the dev server on the fixed port below (devUrl in src-tauri/tauri.dev.conf.json, given to
// `tauri dev` with --config). Both servers listen on loopback only.
export default defineConfig(({ mode }) => ({
  root: "ui",
  base: "./",
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    // The name the dev config's devUrl and dev CSP use.
    host: "localhost",
  },
  preview: {
    port: 4173,
    strictPort: true,
    host: "127.0.0.1",
  },
  // Tauri exposes TAURI_ENV_* to the build; VITE_ is the usual prefix.
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    // `--mode fake` builds a browser-only preview with the fake backend, kept out of ui/dist so
    // it can never be embedded in the app by mistake.
    outDir: mode === "fake" ? "../target/ui-fake" : "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40+ / Safari 15 / WebView2 all run ES2021.
    target: ["es2021", "safari15"],
    sourcemap: mode !== "production",
    chunkSizeWarningLimit: 1200,
  },
}));
