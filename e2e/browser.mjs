// Shared browser set-up (playwright gives every launch a fresh, empty profile) for mieruka's page tests and screenshots: Debian's
// Chromium (never a downloaded one), headless, with the flags this machine's
// closed network needs.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath} (apt-get install chromium)`);
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

// signIn opens the sign-in page and signs in; it returns the page.
export async function signIn(context, base, email, password) {
  const page = await context.newPage();
  await page.goto(base + '/login');
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  return page;
}
