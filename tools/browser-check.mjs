// Every page a resident sees, as their browser sees it: Debian's Chromium, driven by playwright-core,
// checked with axe-core (WCAG 2.2 AA rules and best practice). Run by SignInPageBrowserTest against
// a running service:
//
//   node tools/browser-check.mjs BASE_URL EMAIL PASSWORD SCREENSHOT_DIR RESET_TOKEN VERIFY_TOKEN
//
// EMAIL/PASSWORD: a verified account; RESET_TOKEN: an unused password reset token of any account;
// VERIFY_TOKEN: an unused email verification token. Each page is opened twice: once without
// JavaScript (what it must work with: it renders, GOV.UK Frontend's CSS and fonts load from our own
// origin under our CSP, nothing fails to load), and once with axe-core injected (zero violations).
// Screenshots of the JavaScript-free pages go to SCREENSHOT_DIR.
//
// Exits non-zero with the reason on the first failed check. Never downloads a browser; every host
// but localhost resolves to nothing, so the page cannot reach the network.
import { chromium } from 'playwright-core';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const [base, email, password, shots, resetToken, verifyToken] = process.argv.slice(2);
if (!base || !email || !password || !shots || !resetToken || !verifyToken) {
  console.error('usage: node browser-check.mjs BASE_URL EMAIL PASSWORD SCREENSHOT_DIR RESET_TOKEN VERIFY_TOKEN');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 375, height: 667 };
const SUFFIX = ' - Council account';

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
  console.log('ok  ' + message);
}

/** Clicks a button and waits for the page its form leads to; returns that page's response. */
async function submit(page, button) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState('load');
  return response;
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

function authorizeUrl(clientId) {
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: clientId,
    redirect_uri: 'http://localhost/callback',
    response_type: 'code',
    scope: 'openid profile email',
    state: 'browser-state',
    nonce: 'browser-nonce',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  return `${base}/oauth2/authorize?${params}`;
}

function newEmail() {
  return `browser-${randomBytes(6).toString('hex')}@example.org`;
}

// Each page: how to reach it from a fresh browser, the status and title it must answer with, and
// (for some) the screenshot to keep. `open` returns the response of the page's own request.
const pages = [
  {
    name: 'the sign-in page', status: 200, title: 'Sign in', shots: ['sign-in-desktop', 'sign-in-mobile'],
    open: (page) => page.goto(authorizeUrl('council-tax-web')),
    more: async (page) => {
      check(await page.getByLabel('Email address').getAttribute('name') === 'email', 'the "Email address" label names the email field');
      check(await page.getByLabel('Password').getAttribute('name') === 'password', 'the "Password" label names the password field');
      check(await page.getByRole('button', { name: 'Sign in' }).count() === 1, 'there is one "Sign in" button');
      check(await page.getByRole('link', { name: 'Create an account' }).getAttribute('href') === '/account/sign-up',
        'the sign-in page links to the sign-up page');
      check(await page.getByRole('link', { name: 'Forgotten your password?' }).getAttribute('href') === '/account/reset-password',
        'the sign-in page links to the password reset page');
    },
  },
  {
    name: 'the sign-in page with errors', status: 400, title: 'Error: Sign in', shots: ['sign-in-errors'],
    open: async (page) => {
      await page.goto(authorizeUrl('council-tax-web'));
      return submit(page, 'Sign in');
    },
    more: async (page) => {
      check(await page.locator('[role=alert] h2').innerText() === 'There is a problem', 'an empty form shows an error summary announced as an alert');
      check(await page.getByLabel('Email address').getAttribute('aria-invalid') === 'true', 'the email field is marked invalid');
      const describedBy = await page.getByLabel('Email address').getAttribute('aria-describedby');
      check(describedBy && (await page.locator(`#${describedBy}`).innerText()).includes('Enter your email address'),
        'the email field is described by its error message');
      check(await page.locator('#email-error .govuk-visually-hidden').innerText() === 'Error:',
        'the error message starts with a visually hidden "Error:"');
      check(await page.locator('.govuk-error-summary__list a[href="#email"]').count() === 1, 'the error summary links to the field');
    },
  },
  {
    name: 'the sign-up page', status: 200, title: 'Create an account', shots: ['sign-up'],
    open: (page) => page.goto(`${base}/account/sign-up`),
    more: async (page) => {
      for (const [label, autocomplete] of [['First name', 'given-name'], ['Last name', 'family-name'],
        ['Email address', 'email'], ['Create a password', 'new-password']]) {
        check(await page.getByLabel(label).getAttribute('autocomplete') === autocomplete,
          `the sign-up field "${label}" has autocomplete="${autocomplete}"`);
      }
      const hint = await page.getByLabel('Create a password').getAttribute('aria-describedby');
      check((await page.locator(`#${hint}`).innerText()).includes('at least 12 characters'), 'the password field is described by the policy hint');
    },
  },
  {
    name: 'the sign-up page with errors', status: 400, title: 'Error: Create an account',
    open: async (page) => {
      await page.goto(`${base}/account/sign-up`);
      await page.getByLabel('First name').fill('Ada');
      await page.getByLabel('Email address').fill('not an email address');
      await page.getByLabel('Create a password').fill('short');
      return submit(page, 'Create account');
    },
    more: async (page) => {
      const summary = await page.locator('.govuk-error-summary__list').innerText();
      check(summary.includes('Enter your last name') && summary.includes('Enter an email address in the correct format')
        && summary.includes('Your password must be at least 12 characters'), 'the summary lists every invalid field');
      check(await page.getByLabel('First name').inputValue() === 'Ada', 'what was typed is kept');
      check(await page.getByLabel('Create a password').inputValue() === '', 'the password is never sent back');
      check(await page.getByLabel('First name').getAttribute('aria-invalid') === null, 'a valid field is not marked invalid');
    },
  },
  {
    name: 'the sign-up result page', status: 200, title: 'Check your email',
    open: async (page) => {
      await page.goto(`${base}/account/sign-up`);
      await page.getByLabel('First name').fill('Grace');
      await page.getByLabel('Last name').fill('Hopper');
      await page.getByLabel('Email address').fill(newEmail());
      await page.getByLabel('Create a password').fill('violet anchor mustard telescope');
      return submit(page, 'Create account');
    },
  },
  {
    name: 'the password reset request page', status: 200, title: 'Reset your password',
    open: (page) => page.goto(`${base}/account/reset-password`),
  },
  {
    name: 'the password reset request page with errors', status: 400, title: 'Error: Reset your password',
    open: async (page) => {
      await page.goto(`${base}/account/reset-password`);
      return submit(page, 'Send reset link');
    },
  },
  {
    name: 'the password reset sent page', status: 200, title: 'Check your email',
    open: async (page) => {
      await page.goto(`${base}/account/reset-password`);
      await page.getByLabel('Email address').fill(newEmail());
      return submit(page, 'Send reset link');
    },
  },
  {
    name: 'the new password page', status: 200, title: 'Choose a new password',
    open: (page) => page.goto(`${base}/account/reset-password?token=${resetToken}`),
  },
  {
    name: 'the email confirmation page', status: 200, title: 'Confirm your email address',
    open: (page) => page.goto(`${base}/account/verify-email?token=${verifyToken}`),
  },
  {
    name: 'the error page', status: 400, title: 'There is a problem',
    open: (page) => page.goto(authorizeUrl('no-such-client')),
  },
  {
    name: 'the demo service page', status: 200, title: 'Demo service',
    open: (page) => page.goto(`${base}/demo/callback?code=${randomBytes(32).toString('base64url')}&state=demo`),
  },
];

/** Opens a page without JavaScript and checks that it works and looks like GOV.UK Frontend. */
async function withoutJavaScript(browser, spec, viewport, shot) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport, deviceScaleFactor: viewport === MOBILE ? 2 : 1 });
  const page = await context.newPage();
  const problems = [];
  // Browsers ask for /favicon.ico on their own; we have no council icon to serve (GOV.UK's crown is
  // not ours to use), so that one 404 is expected.
  const expected = (url) => new URL(url).pathname === '/favicon.ico';
  page.on('console', (m) => {
    // "Failed to load resource" is the response listener's business (the page's own 400 is fine);
    // anything else, a CSP refusal above all, is a problem.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('requestfailed', (r) => problems.push(`${r.url()} failed: ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400 && r.request().resourceType() !== 'document' && !expected(r.url())) problems.push(`${r.url()}: ${r.status()}`); });
  current = page;
  const response = await spec.open(page);
  const label = `${spec.name}${viewport === MOBILE ? ' (375 px)' : ''}`;
  check(response.status() === spec.status, `${label} answers ${spec.status} without JavaScript`);
  check((await page.title()) === spec.title + SUFFIX, `${label} is titled "${await page.title()}"`);
  // Computed styles come from GOV.UK Frontend's CSS, served by us: the page really is styled.
  const style = await page.evaluate(async () => {
    await document.fonts.ready;
    // GOV.UK Frontend sets its font on its components (headings, body text, labels), not on <body>.
    const text = document.querySelector('main h1');
    const header = document.querySelector('.govuk-header');
        return {
      font: text ? getComputedStyle(text).fontFamily : '',
      header: header ? getComputedStyle(header).backgroundColor : null,
      h1: text ? getComputedStyle(text).fontWeight : null,
      fontsLoaded: [...document.fonts].filter((f) => f.family.includes('GDS Transport') && f.status === 'loaded').length,
      scripts: document.scripts.length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
  check(style.font.includes('GDS Transport'), `${label} is set in GOV.UK's font stack (${style.font})`);
  check(style.fontsLoaded > 0, `${label} loads the GDS Transport font from our own origin`);
  check(style.header === 'rgb(11, 12, 12)', `${label} has the GOV.UK header`);
  check(style.h1 === '700', `${label} has a bold GOV.UK heading`);
  check(style.scripts === 0, `${label} has no script`);
  check(style.overflow <= 0, `${label} does not scroll sideways`);
  if (spec.more && viewport === DESKTOP) {
    await spec.more(page);
  }
  check(problems.length === 0, `${label} loads everything it asks for under its CSP ${problems.join('; ')}`);
  if (shot) {
    await page.screenshot({ path: `${shots}/${shot}.png`, fullPage: true });
  }
  await context.close();
}

const browser = await chromium.launch({
  executablePath: process.env.PORTAL_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
  ],
});
const timer = setTimeout(() => { console.error('browser check timed out'); process.exit(3); }, 240_000);
let exitCode = 0;
let current = null;
try {
  for (const spec of pages) {
    const shotsFor = spec.shots ?? [];
    await withoutJavaScript(browser, spec, DESKTOP, shotsFor.find((s) => !s.endsWith('-mobile')));
    const mobile = shotsFor.find((s) => s.endsWith('-mobile'));
    if (mobile) {
      await withoutJavaScript(browser, spec, MOBILE, mobile);
    }
  }

  // axe needs script in the page: a second context with JavaScript on, for the checks only.
  // bypassCSP: our CSP (rightly) refuses injected script; the audit must still run axe.
  const audit = await browser.newContext({ bypassCSP: true, viewport: DESKTOP });
  for (const spec of pages) {
    const page = await audit.newPage();
    current = page;
    await spec.open(page);
    await axe(page, spec.name);
    await page.close();
  }

  // The sign-in itself, in a real browser: refused, then accepted and sent back to the client.
  const page = await audit.newPage();
  current = page;
  await page.goto(authorizeUrl('council-tax-web'));
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('not the right password at all');
  await submit(page, 'Sign in');
  check((await page.locator('[role=alert]').innerText()).includes('Enter the email address and password of your account'),
    'a wrong password is refused with a message that does not say which part was wrong');

  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  // The client's redirect URI has no server here: what matters is where the browser is sent.
  const [callback] = await Promise.all([
    page.waitForRequest((r) => r.url().startsWith('http://localhost/callback')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  const back = new URL(callback.url());
  check(back.searchParams.get('code')?.length === 43, 'signing in sends the browser back to the client with a code');
  check(back.searchParams.get('state') === 'browser-state', 'the state comes back unchanged');
  await audit.close();
} catch (error) {
  console.error('FAILED: ' + error.message);
  if (current && !current.isClosed()) {
    console.error(`at ${current.url()}: ${(await current.content()).slice(0, 2000)}`);
  }
  exitCode = 1;
} finally {
  clearTimeout(timer);
  await browser.close();
}
process.exit(exitCode);
