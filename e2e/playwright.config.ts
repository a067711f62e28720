// End-to-end journeys against a real `hemicycle --demo` server, in Debian's Chromium (never a downloaded browser).
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3190);
const oidcIssuer = `http://127.0.0.1:${oidcPort}`;
const baseURL = `http://127.0.0.1:${port}`;
const dbDir = process.env.E2E_DB_DIR ?? "../target/e2e-db";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["./summary-reporter.ts"]],
  use: {
    baseURL,
    locale: "fr-FR",
    trace: "retain-on-failure",
    launchOptions: {
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
    },
  },
  // The OpenID provider first: Hémicycle discovers it at start-up.
  webServer: [
    {
      command: "node server.mjs",
      cwd: "./oidc-provider",
      url: `${oidcIssuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: {
        OIDC_PORT: String(oidcPort),
        OIDC_CLIENT_ID: "hemicycle-e2e",
        OIDC_CLIENT_SECRET: "hemicycle-e2e-secret",
        OIDC_REDIRECT_URI: `${baseURL}/auth/oidc/callback`,
      },
    },
    {
    command: `rm -rf ${dbDir} && ../target/${process.env.E2E_PROFILE ?? "debug"}/hemicycle --demo`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: {
      DATABASE_URL: `sqlite://${dbDir}/hemicycle.db?mode=rwc`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "../target/site",
      RUST_LOG: "warn",
      HEMICYCLE_OIDC_PROVIDERS: JSON.stringify([
        {
          id: "proconnect-demo",
          label_fr: "Se connecter avec ProConnect (démo)",
          label_en: "Sign in with ProConnect (demo)",
          issuer: oidcIssuer,
          client_id: "hemicycle-e2e",
          client_secret: "hemicycle-e2e-secret",
          scopes: ["openid", "email", "given_name", "usual_name", "siret", "uid"],
          pkce: true,
          signed_userinfo: true,
        },
      ]),
    },
    },
  ],
});
