// Playwright drives Debian's Chromium and Firefox ESR (its own browser
// downloads do not work offline) against the production build served by
// `vite preview`. Firefox is driven over WebDriver BiDi, which Playwright
// 1.59 speaks to ESR 153; tests of what only Chromium has (its DevTools
// protocol: fast synthetic input, network emulation, the installability
// check; touch contexts) skip themselves there and say why. WebKit is not a
// project here: Playwright's WebKit is a browser download, so tests/webkit/
// drives Debian's WebKitGTK over WebDriver, and lists what it cannot test.
import { defineConfig } from '@playwright/test';

const PORT = 4173;

export default defineConfig({
  testDir: 'tests/web',
  timeout: 120_000,
  workers: 1,
  // No retries: a test that passes only on a second try guarantees little.
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // The page's service worker would answer requests that tests route or
    // count: only the tests of offline use and updates let it run.
    serviceWorkers: 'block',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
    {
      name: 'firefox',
      use: { browserName: 'firefox', channel: 'moz-firefox', launchOptions: { executablePath: '/usr/bin/firefox-esr' } },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
