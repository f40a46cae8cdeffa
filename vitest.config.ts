import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
// tsconfig's "@/*" -> "./*"
const alias = [{ find: /^@\//, replacement: `${root}/` }];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/helpers/global-setup.ts"],
          // Each file spawns its own servers (Next.js + a database each), whose processes mostly wait on each
          // other: two files at a time keep a 2-core machine busy, where one at a time used about one core
          // (508 to 557 s for the suite on PostgreSQL against 736 to 852 s, 2026-12-07).
          fileParallelism: true,
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
