// Single sign-on across replicas, as a resident's browser does it: Debian's Chromium, driven by
// playwright-core, against bin/cluster's balancer. Run by ClusterIT:
//
//   node tools/cluster-sso-check.mjs BASE_URL EMAIL PASSWORD FIRST_AUTHORIZE_URL SECOND_AUTHORIZE_URL
//
// Opens FIRST_AUTHORIZE_URL (the sign-in page), signs in through the form, then opens
// SECOND_AUTHORIZE_URL (another client) in the same browser: it must come back with a code at once,
// without the form. Only the pages themselves go through the balancer (their styles and fonts are
// not loaded), so nginx's round-robin sends the three page requests to the three replicas; the
// X-Upstream header of each is printed. The clients' redirect URIs (http://localhost/...) have no
// server: the browser's request to them carries the code. Prints one "RESULT name value" line per fact; exits non-zero with
// the reason on the first failed check. Never downloads a browser; every host but localhost and
// 127.0.0.1 resolves to nothing.
import { chromium } from 'playwright-core';

const [base, email, password, first, second] = process.argv.slice(2);
if (!base || !email || !password || !first || !second) {
  console.error('usage: node cluster-sso-check.mjs BASE_URL EMAIL PASSWORD FIRST_AUTHORIZE_URL SECOND_AUTHORIZE_URL');
  process.exit(2);
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
  console.log('ok  ' + message);
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
const timer = setTimeout(() => { console.error('cluster SSO check timed out'); process.exit(3); }, 60_000);
let exitCode = 0;
try {
  const context = await browser.newContext();
  // Pages only: a subresource would take a turn of the round-robin between two pages.
  const origin = new URL(base).origin;
  await context.route((url) => url.origin === origin, (route) =>
    route.request().resourceType() === 'document' ? route.continue() : route.abort());
  const page = await context.newPage();

  const signInPage = await page.goto(first);
  check(signInPage.status() === 200, `the sign-in page answers 200 (${signInPage.status()})`);
  check(await page.getByLabel('Password').count() === 1, 'the sign-in page asks for the password');
  console.log(`RESULT page ${signInPage.headers()['x-upstream']}`);

  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  const [posted, firstCallback] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(`${base}/oauth2/authorize`)),
    page.waitForRequest((r) => r.url().startsWith('http://localhost/callback')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  check(posted.status() === 302, `signing in answers 302 (${posted.status()})`);
  const firstCode = new URL(firstCallback.url()).searchParams.get('code');
  check(!!firstCode, 'the first client gets a code at its redirect URI');
  console.log(`RESULT signIn ${posted.headers()['x-upstream']}`);
  console.log(`RESULT firstCode ${firstCode}`);
  const cookies = await context.cookies(base);
  check(cookies.some((c) => c.name === 'portal_session'), 'the browser keeps the session cookie');

  const [sso, secondCallback] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'GET' && r.url().startsWith(`${base}/oauth2/authorize`)),
    page.waitForRequest((r) => r.url().startsWith('http://localhost/parking/callback')),
    // The redirect URI's load fails (no server there): the request to it is what counts.
    page.goto(second).catch(() => null),
  ]);
  check(sso.status() === 302, `the second client's authorization answers 302 without the form (${sso.status()})`);
  const secondCode = new URL(secondCallback.url()).searchParams.get('code');
  check(!!secondCode, 'the second client gets a code at its redirect URI, no sign-in page');
  console.log(`RESULT sso ${sso.headers()['x-upstream']}`);
  console.log(`RESULT secondCode ${secondCode}`);
  await context.close();
} catch (error) {
  console.error(`FAILED: ${error.message}`);
  exitCode = 1;
} finally {
  clearTimeout(timer);
  await browser.close();
}
process.exit(exitCode);
