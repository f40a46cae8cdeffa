import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests: one real Parley server (Next + Socket.IO on one port) on a
 * fresh database, driven by Chromium.
 *
 * - E2E_PORT: the server's port (default 3100).
 * - TEST_DATABASE_URL: when set, the server runs on a scratch PostgreSQL database
 *   (parley_e2e on that server, dropped and created anew each run); otherwise on
 *   PGlite in test-data/e2e, emptied each run.
 * - PLAYWRIGHT_CHROMIUM_PATH: the Chromium to drive (default /usr/bin/chromium when
 *   it exists, otherwise Playwright's own browser).
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = "./test-data/e2e";

const chromiumPath =
  process.env.PLAYWRIGHT_CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "off",
    video: "off",
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    // The first sign-up on the fresh install creates the workspace; every other test joins it.
    { name: "setup", testMatch: /\.setup\.ts$/, use: { ...devices["Desktop Chrome"] } },
    {
      name: "chromium",
      testMatch: /\.spec\.ts$/,
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"] },
    },
  ],
  webServer: {
    // Empties DATA_DIR (and recreates the scratch database), then runs server/start.ts,
    // which builds Next first when the build is missing or stale.
    command: "npx tsx e2e/support/serve.ts",
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 240_000,
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      AUTH_SECRET: "e2e-only-secret-0123456789abcdefghijklmnop",
      // The tests stand in for a proxy: each person they sign up through the API comes from an address of
      // its own (X-Forwarded-For), as people do, rather than all from 127.0.0.1 and its sign-up limit.
      TRUSTED_PROXIES: "127.0.0.1,::1",
      // link-previews.spec.ts serves its pages there.
      LINK_PREVIEW_ALLOWED_ADDRESSES: "127.0.0.2",
    },
  },
});
