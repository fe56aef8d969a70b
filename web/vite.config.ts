import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// One build, several small apps: each page is its own entry, sharing the API client, the
// translations and the styles. The gateway serves web/dist from the same origin as the API,
// so nothing is fetched from anywhere else at run time.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    // Source maps stay out of what phones download; the sources are in the repository.
    sourcemap: false,
    reportCompressedSize: true,
    // Swagger UI is one large bundle by design; it is loaded only on /swagger.
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      output: {
        // What every app shares (Preact, the API client, translations, styles) is one chunk.
        manualChunks(id) {
          if (id.includes("/src/shared/") || id.includes("/node_modules/preact/")) return "shared";
          return undefined;
        },
      },
      input: {
        traveller: fileURLToPath(new URL("index.html", import.meta.url)),
        swagger: fileURLToPath(new URL("swagger/index.html", import.meta.url)),
        scan: fileURLToPath(new URL("scan/index.html", import.meta.url)),
        console: fileURLToPath(new URL("console/index.html", import.meta.url)),
      },
    },
  },
});
