// @ts-check
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig([
  globalIgnores([
    ".next/",
    "data/",
    "test-data/",
    "test-results/",
    "playwright-report/",
    "coverage/",
    "bench/results/",
    "drizzle/migrations/",
    "next-env.d.ts",
  ]),
  {
    files: ["**/*.{ts,tsx,mts,cts}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // Unused on purpose: name it with a leading underscore.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
        },
      ],
    },
  },
  {
    // React code only: Node-only code may name a plain function use*() without it being a hook.
    files: ["**/*.{ts,tsx}"],
    ignores: ["server/**", "drizzle/**", "scripts/**", "bench/**"],
    extends: [reactHooks.configs.flat.recommended],
  },
]);
