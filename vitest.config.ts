import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["ui/tests/**/*.test.ts"],
    environment: "jsdom",
    css: false,
    restoreMocks: true,
    benchmark: {
      include: ["ui/bench/**/*.bench.ts"],
    },
  },
});
