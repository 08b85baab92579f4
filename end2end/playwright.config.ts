import { defineConfig } from "@playwright/test";

// The server under test: started by Playwright on a free port with a fresh data directory.
// scripts/e2e sets E2E_PORT, E2E_DATA_DIR and E2E_SERVER (the binary) before calling us.
const port = Number(process.env.E2E_PORT ?? 3300);
const baseURL = `http://127.0.0.1:${port}`;
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2525);
const mailHttpPort = Number(process.env.E2E_MAIL_HTTP_PORT ?? 2580);

// Debian's Chromium, never a downloaded browser. The flags keep it off the (closed) network.
export const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  // clears the axe results of a previous run, prints the pages axe checked at the end
  globalSetup: "./axe-global.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  // the back-office journeys sign in five officers each: give them room on a 2-core machine
  timeout: 90_000,
  use: {
    baseURL,
    headless: true,
    // An English browser on purpose: the portal must still answer in Vietnamese.
    locale: "en-US",
    launchOptions,
    trace: "off",
  },
  projects: [
    { name: "hydrated", use: { browserName: "chromium", javaScriptEnabled: true } },
    { name: "no-js", use: { browserName: "chromium", javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: "node mail-sink.mjs",
      url: `http://127.0.0.1:${mailHttpPort}/health`,
      timeout: 20_000,
      reuseExistingServer: false,
      env: { E2E_SMTP_PORT: String(smtpPort), E2E_MAIL_HTTP_PORT: String(mailHttpPort) },
    },
    {
    command: process.env.E2E_SERVER ?? "../target/debug/server",
    cwd: "..",
    url: `${baseURL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      MOTCUA_LISTEN: `127.0.0.1:${port}`,
      MOTCUA_DATA_DIR: process.env.E2E_DATA_DIR ?? "../target/e2e-data",
      MOTCUA_SITE_ROOT: "target/site",
      MOTCUA_LOG: "warn",
      MOTCUA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MOTCUA_DEMO_DATA: "true",
      // a few demo dossiers, so the statistics have late ones to drill into
      MOTCUA_DEMO_DOSSIERS: "40",
    },
    },
  ],
});
