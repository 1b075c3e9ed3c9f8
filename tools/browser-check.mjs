// The sign-in page as a resident's browser sees it: Debian's Chromium, driven by playwright-core,
// checked with axe-core (WCAG 2.2 AA rules). Run by SignInPageBrowserTest against a running service:
//
//   node tools/browser-check.mjs BASE_URL EMAIL PASSWORD SCREENSHOT_DIR
//
// Exits non-zero with the reason on the first failed check. Never downloads a browser; every host
// but localhost resolves to nothing, so the page cannot reach the network.
import { chromium } from 'playwright-core';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const [base, email, password, shots] = process.argv.slice(2);
if (!base || !email || !password || !shots) {
  console.error('usage: node browser-check.mjs BASE_URL EMAIL PASSWORD SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
  console.log('ok  ' + message);
}

/** Clicks "Sign in" and waits for the page the form leads to. */
async function submit(page) {
  await Promise.all([page.waitForEvent('framenavigated'), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.waitForLoadState('load');
}

async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }));
  for (const v of result.violations) {
    console.error(`axe ${name}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  check(result.violations.length === 0, `axe finds no violations on ${name} (${result.passes.length} rules pass)`);
}

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
const params = new URLSearchParams({
  client_id: 'council-tax-web',
  redirect_uri: 'http://localhost/callback',
  response_type: 'code',
  scope: 'openid profile email',
  state: 'browser-state',
  nonce: 'browser-nonce',
  code_challenge: challenge,
  code_challenge_method: 'S256',
});

const browser = await chromium.launch({
  executablePath: process.env.PORTAL_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
  ],
});
const timer = setTimeout(() => { console.error('browser check timed out'); process.exit(3); }, 90_000);
let exitCode = 0;
let current = null;
try {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();

  const response = await page.goto(`${base}/oauth2/authorize?${params}`);
  check(response.status() === 200, 'the sign-in page opens (200) without JavaScript');
  check((await page.title()) === 'Sign in - Council account', `the title says what the page is: "${await page.title()}"`);
  check(await page.getByLabel('Email address').getAttribute('name') === 'email', 'the "Email address" label names the email field');
  check(await page.getByLabel('Password').getAttribute('name') === 'password', 'the "Password" label names the password field');
  check(await page.getByRole('button', { name: 'Sign in' }).count() === 1, 'there is one "Sign in" button');
  await page.screenshot({ path: `${shots}/sign-in.png`, fullPage: true });
  await context.close();

  // axe needs script in the page: a second context with JavaScript on, for the checks only.
  // bypassCSP: our CSP (rightly) refuses injected script; the audit must still run axe.
  const audit = await browser.newContext({ bypassCSP: true });
  const auditPage = await audit.newPage();
  current = auditPage;
  await auditPage.goto(`${base}/oauth2/authorize?${params}`);
  await axe(auditPage, 'the sign-in page');

  await submit(auditPage);
  check(await auditPage.locator('[role=alert] h2').innerText() === 'There is a problem', 'an empty form shows an error summary announced as an alert');
  check(await auditPage.getByLabel('Email address').getAttribute('aria-invalid') === 'true', 'the email field is marked invalid');
  const describedBy = await auditPage.getByLabel('Email address').getAttribute('aria-describedby');
  check(describedBy && (await auditPage.locator(`#${describedBy}`).innerText()).includes('Enter your email address'),
    'the email field is described by its error message');
  check((await auditPage.title()).startsWith('Error: '), 'the title starts with "Error:" when there is a problem');
  await auditPage.screenshot({ path: `${shots}/sign-in-errors.png`, fullPage: true });
  await axe(auditPage, 'the sign-in page with errors');

  await auditPage.getByLabel('Email address').fill(email);
  await auditPage.getByLabel('Password').fill('not the right password at all');
  await submit(auditPage);
  check((await auditPage.locator('[role=alert]').innerText()).includes('Enter the email address and password of your account'),
    'a wrong password is refused with a message that does not say which part was wrong');

  await auditPage.getByLabel('Email address').fill(email);
  await auditPage.getByLabel('Password').fill(password);
  // The client's redirect URI has no server here: what matters is where the browser is sent.
  const [callback] = await Promise.all([
    auditPage.waitForRequest((r) => r.url().startsWith('http://localhost/callback')),
    auditPage.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  const back = new URL(callback.url());
  check(back.searchParams.get('code')?.length === 43, 'signing in sends the browser back to the client with a code');
  check(back.searchParams.get('state') === 'browser-state', 'the state comes back unchanged');
  await audit.close();
} catch (error) {
  console.error('FAILED: ' + error.message);
  if (current) {
    console.error(`at ${current.url()}: ${(await current.content()).slice(0, 2000)}`);
  }
  exitCode = 1;
} finally {
  clearTimeout(timer);
  await browser.close();
}
process.exit(exitCode);
