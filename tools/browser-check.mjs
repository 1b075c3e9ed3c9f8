// Every page a resident sees, as their browser sees it: Debian's Chromium, driven by playwright-core,
// checked with axe-core (WCAG 2.2 AA rules and best practice). Run by SignInPageBrowserTest against
// a running service:
//
//   node tools/browser-check.mjs BASE_URL EMAIL PASSWORD SCREENSHOT_DIR RESET_TOKEN VERIFY_TOKEN \
//     TOTP_EMAIL TOTP_SECRET
//
// EMAIL/PASSWORD: a verified account; RESET_TOKEN: an unused password reset token of any account;
// VERIFY_TOKEN: an unused email verification token; TOTP_EMAIL: a verified account with the same
// PASSWORD and a confirmed authenticator app whose secret (base32) is TOTP_SECRET, whose codes this
// script computes as the app would (RFC 6238). The app must have been confirmed before the script
// starts, with a code of that moment's 30-second step or an earlier one: each code is accepted once. Each page is opened twice: once without
// JavaScript (what it must work with: it renders, GOV.UK Frontend's CSS and fonts load from our own
// origin under our CSP, nothing fails to load), and once with axe-core injected (zero violations).
// Screenshots of the JavaScript-free pages go to SCREENSHOT_DIR.
//
// Exits non-zero with the reason on the first failed check. Never downloads a browser; every host
// but localhost resolves to nothing, so the page cannot reach the network.
import { chromium } from 'playwright-core';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const [base, email, password, shots, resetToken, verifyToken, totpEmail, totpSecret] = process.argv.slice(2);
if (!base || !email || !password || !shots || !resetToken || !verifyToken || !totpEmail || !totpSecret) {
  console.error('usage: node browser-check.mjs BASE_URL EMAIL PASSWORD SCREENSHOT_DIR RESET_TOKEN VERIFY_TOKEN'
    + ' TOTP_EMAIL TOTP_SECRET');
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

// The authenticator app, as RFC 6238 defines it and every app computes it: HMAC-SHA1 of the number
// of 30-second steps since the epoch (RFC 4226 dynamic truncation), 6 digits.
const STEP_MS = 30_000;

/** RFC 4648 base32 (the alphabet authenticator apps read from the QR code), padding optional. */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = [];
  let bits = 0;
  let value = 0;
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const digit = alphabet.indexOf(c);
    if (digit < 0) {
      throw new Error(`not base32: ${c}`);
    }
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
      value &= (1 << bits) - 1;
    }
  }
  return Buffer.from(bytes);
}

function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const currentStep = () => Math.floor(Date.now() / STEP_MS);
// The server accepts a step's code once, and no step at or before one it accepted: the app was
// confirmed at this step at the latest, so the first code used here is of a later step.
let lastUsedStep = currentStep();

/** The app's code of a step no code was used in yet, waiting for the next step when needed. */
async function freshCode() {
  if (currentStep() <= lastUsedStep) {
    const wait = (lastUsedStep + 1) * STEP_MS - Date.now() + 250;
    console.log(`    waiting ${Math.ceil(wait / 1000)} s for the authenticator app's next code`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  lastUsedStep = currentStep();
  return totp(totpSecret, lastUsedStep);
}

/** Six digits that are not the app's code of any step the server could accept now or soon. */
function wrongCode() {
  const near = new Set([-1, 0, 1, 2].map((d) => totp(totpSecret, currentStep() + d)));
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate).padStart(6, '0');
    if (!near.has(code)) {
      return code;
    }
  }
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

/** The right password of the account with an authenticator app: answers with the security code page. */
async function passwordOfTotpAccount(page) {
  await page.goto(authorizeUrl('council-tax-web'));
  await page.getByLabel('Email address').fill(totpEmail);
  await page.getByLabel('Password').fill(password);
  return submit(page, 'Sign in');
}

/** Fills in and sends the sign-in form; resolves with the URL the browser is sent back to. */
async function signInAndReturn(page, button) {
  const [callback] = await Promise.all([
    page.waitForRequest((r) => r.url().startsWith('http://localhost/callback')),
    page.getByRole('button', { name: button }).click(),
  ]);
  return new URL(callback.url());
}

/**
 * Signs the browser in (a session cookie in the page's context), in a tab of its own: the client's
 * redirect URI has no server here, and that tab's failed load is not the checked page's business.
 */
async function signInElsewhere(page) {
  const tab = await page.context().newPage();
  await tab.goto(authorizeUrl('council-tax-web'));
  await tab.getByLabel('Email address').fill(email);
  await tab.getByLabel('Password').fill(password);
  const back = await signInAndReturn(tab, 'Sign in');
  await tab.close();
  if (!back.searchParams.get('code')) {
    throw new Error(`signing in to reach a sign-out page failed: ${back}`);
  }
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
    name: 'the security code page', status: 200, title: 'Enter your security code', shots: ['security-code'],
    open: passwordOfTotpAccount,
    more: async (page) => {
      const code = page.getByLabel('Security code');
      check(await code.getAttribute('name') === 'code', 'the "Security code" label names the code field');
      check(await code.getAttribute('autocomplete') === 'one-time-code', 'the code field has autocomplete="one-time-code"');
      check(await code.getAttribute('inputmode') === 'numeric', 'the code field brings up a numeric keypad');
      const hint = await code.getAttribute('aria-describedby');
      check(hint && (await page.locator(`#${hint}`).innerText()).includes('recovery codes'),
        'the code field is described by the recovery code hint');
      check(await page.getByRole('button', { name: 'Continue' }).count() === 1, 'there is one "Continue" button');
      check(await page.locator('input[name=password]').count() === 0, 'the password is not carried in the page');
    },
  },
  {
    name: 'the security code page with errors', status: 400, title: 'Error: Enter your security code',
    open: async (page) => {
      await passwordOfTotpAccount(page);
      return submit(page, 'Continue');
    },
    more: async (page) => {
      check(await page.locator('[role=alert] h2').innerText() === 'There is a problem', 'an empty code shows an error summary announced as an alert');
      check(await page.locator('.govuk-error-summary__list a[href="#code"]').innerText() === 'Enter the security code',
        'the error summary says what to do and links to the code field');
      const code = page.getByLabel('Security code');
      check(await code.getAttribute('aria-invalid') === 'true', 'the code field is marked invalid');
      const describedBy = (await code.getAttribute('aria-describedby')).split(' ');
      check(describedBy.includes('code-error') && describedBy.includes('code-hint'), 'the code field is described by its hint and its error message');
      check(await page.locator('#code-error .govuk-visually-hidden').innerText() === 'Error:',
        'the code error message starts with a visually hidden "Error:"');
    },
  },
  {
    // Counts toward brute-force protection (five free failures): this page is opened twice, and the
    // right code at the end resets the count.
    name: 'the security code page with a wrong code', status: 401, title: 'Error: Enter your security code',
    open: async (page) => {
      await passwordOfTotpAccount(page);
      await page.getByLabel('Security code').fill(wrongCode());
      return submit(page, 'Continue');
    },
    more: async (page) => {
      check((await page.locator('#code-error').innerText()).includes('Enter the security code your authenticator app shows now'),
        'a wrong code is refused with a message saying which code to enter');
      check(await page.getByLabel('Security code').inputValue() === '', 'the wrong code is not sent back');
    },
  },
  {
    name: 'the sign-out confirmation page', status: 200, title: 'Sign out',
    open: async (page) => {
      await signInElsewhere(page);
      return page.goto(`${base}/oauth2/logout`);
    },
    more: async (page) => {
      check(await page.getByRole('button', { name: 'Sign out' }).count() === 1, 'there is one "Sign out" button');
      check(await page.locator('h1').innerText() === 'Do you want to sign out?', 'the sign-out confirmation page asks a question');
    },
  },
  {
    name: 'the signed-out page', status: 200, title: 'You have signed out',
    open: (page) => page.goto(`${base}/oauth2/logout`),
  },
  {
    name: 'the signed-out page after confirming', status: 200, title: 'You have signed out',
    open: async (page) => {
      await signInElsewhere(page);
      await page.goto(`${base}/oauth2/logout`);
      return submit(page, 'Sign out');
    },
    more: async (page) => {
      const session = (await page.context().cookies()).filter((c) => c.name.startsWith('portal_session'));
      check(session.length === 0, 'confirming the sign-out clears the session cookie');
    },
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

  // axe needs script in the page: contexts with JavaScript on, for the checks only, each a fresh
  // browser as `open` expects (no session or challenge cookie left by the page before).
  // bypassCSP: our CSP (rightly) refuses injected script; the audit must still run axe.
  for (const spec of pages) {
    const audit = await browser.newContext({ bypassCSP: true, viewport: DESKTOP });
    const page = await audit.newPage();
    current = page;
    await spec.open(page);
    await axe(page, spec.name);
    await audit.close();
  }

  // The sign-in itself, in a real browser: refused, then accepted and sent back to the client.
  const signIn = await browser.newContext({ viewport: DESKTOP });
  const page = await signIn.newPage();
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
  const back = await signInAndReturn(page, 'Sign in');
  check(back.searchParams.get('code')?.length === 43, 'signing in sends the browser back to the client with a code');
  check(back.searchParams.get('state') === 'browser-state', 'the state comes back unchanged');
  await signIn.close();

  // With an authenticator app: the password, then the app's current code, then back to the client.
  // Without JavaScript, as a resident's browser may be.
  check(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1) === '287082',
    'the authenticator app computes RFC 6238\'s SHA-1 test vector (T = 59 s)');
  const twoStep = await browser.newContext({ javaScriptEnabled: false, viewport: DESKTOP });
  const codePage = await twoStep.newPage();
  current = codePage;
  const codeStep = await passwordOfTotpAccount(codePage);
  check(codeStep.status() === 200 && (await codePage.title()) === 'Enter your security code' + SUFFIX,
    'the right password of an account with an authenticator app leads to the security code page');
  await codePage.getByLabel('Security code').fill(await freshCode());
  const backWithCode = await signInAndReturn(codePage, 'Continue');
  check(backWithCode.searchParams.get('code')?.length === 43,
    'signing in with a security code sends the browser back to the client with a code');
  check(backWithCode.searchParams.get('state') === 'browser-state', 'the state comes back unchanged after the security code');
  await twoStep.close();
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
