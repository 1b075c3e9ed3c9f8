// The uptake report page (/reports/uptake) as a manager's browser sees it: Debian's Chromium, driven
// by playwright-core, checked with axe-core (WCAG 2.2 AA rules and best practice). Run by
// UptakeReportPageBrowserTest against a running service:
//
//   node tools/report-check.mjs BASE_URL MANAGER_EMAIL RESIDENT_EMAIL PASSWORD QUERY EXPECTED_JSON SCREENSHOT_DIR
//
// MANAGER_EMAIL: a verified account with role MANAGER; RESIDENT_EMAIL: a verified account without
// it; both with PASSWORD. QUERY: the report's query string (from=..&to=..&interval=month).
// EXPECTED_JSON: a file with the uptake report for QUERY as GET /api/v1/reports/uptake answers it.
//
// Without JavaScript (what the page must work with): opening the report is sent to sign in, signs
// in through the real form and lands on the report; the headline figures and every table row equal
// the JSON; the charts are inline SVG images; the filter form and the CSV download work; GOV.UK
// Frontend's CSS and fonts load from our own origin under our CSP. Then axe-core (zero violations)
// on the report, the report with filter errors and the 403 page. A full-page screenshot of the
// report goes to SCREENSHOT_DIR/uptake-report.png. Exits non-zero with the reason on the first
// failed check. Never downloads a browser; every host but localhost resolves to nothing.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const [base, managerEmail, residentEmail, password, query, expectedFile, shots] = process.argv.slice(2);
if (!base || !managerEmail || !residentEmail || !password || !query || !expectedFile || !shots) {
  console.error('usage: node report-check.mjs BASE_URL MANAGER_EMAIL RESIDENT_EMAIL PASSWORD QUERY EXPECTED_JSON SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 800 };
// A UK browser (Accept-Language en-GB), as the council's staff use.
const LOCALE = 'en-GB';
const SUFFIX = ' - Council account';
const reportUrl = `${base}/reports/uptake?${query}`;

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
  console.log('ok  ' + message);
}

// As the page writes them: en-GB thousands separators, at most two decimals, "Unknown" for none.
const count = (n) => (n === null || n === undefined ? 'Unknown' : new Intl.NumberFormat('en-GB').format(n));
const percent = (n) => (n === null || n === undefined ? 'Unknown'
  : new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(n) + '%');

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

/** Opens the report from a fresh browser, is sent to sign in, signs in, comes back; returns the last response. */
async function signInThroughReport(page, email) {
  const first = await page.goto(reportUrl);
  check(first.status() === 200 && (await page.title()) === 'Sign in' + SUFFIX && new URL(page.url()).pathname === '/oauth2/authorize',
    `opening the report without a session shows the sign-in page (${email === managerEmail ? 'manager' : 'resident'})`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && new URL(r.url()).pathname === '/reports/uptake'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Watches a page for anything that fails to load or that the CSP refuses. */
function watch(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('requestfailed', (r) => problems.push(`${r.url()} failed: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document' && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`${r.url()}: ${r.status()}`);
  });
  return problems;
}

async function looksLikeGovuk(page, label) {
  const style = await page.evaluate(async () => {
    await document.fonts.ready;
    const h1 = document.querySelector('main h1');
    return {
      font: h1 ? getComputedStyle(h1).fontFamily : '',
      header: getComputedStyle(document.querySelector('.govuk-header')).backgroundColor,
      fontsLoaded: [...document.fonts].filter((f) => f.family.includes('GDS Transport') && f.status === 'loaded').length,
      scripts: document.scripts.length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
  check(style.font.includes('GDS Transport') && style.fontsLoaded > 0, `${label} is set in GDS Transport, loaded from our own origin`);
  check(style.header === 'rgb(11, 12, 12)', `${label} has the GOV.UK header`);
  check(style.scripts === 0, `${label} has no script`);
  check(style.overflow <= 0, `${label} does not scroll sideways`);
}

async function rows(page, table) {
  return page.locator(`#${table} tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.innerText.trim())));
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
const timer = setTimeout(() => { console.error('report check timed out'); process.exit(3); }, 240_000);
let exitCode = 0;
let current = null;
try {
  // ---- The manager, without JavaScript ----
  const manager = await browser.newContext({ javaScriptEnabled: false, viewport: DESKTOP, locale: LOCALE });
  const page = await manager.newPage();
  current = page;
  const problems = watch(page);
  const landed = await signInThroughReport(page, managerEmail);
  check(landed.status() === 200, 'signing in lands on the report (200)');
  check(page.url() === reportUrl, `the browser is back at the report it asked for (${page.url()})`);
  check((await page.title()) === 'Account uptake' + SUFFIX, 'the report is titled "Account uptake"');
  await looksLikeGovuk(page, 'the report');

  const figures = {
    totalAccounts: count(expected.totalAccounts),
    verifiedAccounts: count(expected.verifiedAccounts),
    linkedAccounts: count(expected.linkedAccounts),
    deletedAccounts: count(expected.deletedAccounts),
    activeAccounts7d: count(expected.activeAccounts7d),
    activeAccounts30d: count(expected.activeAccounts30d),
    uptakePercent: percent(expected.uptakePercent),
    completionRatePercent: percent(expected.kpis.completionRatePercent),
    digitalTakeUpPercent: percent(expected.kpis.digitalTakeUpPercent),
  };
  for (const [key, value] of Object.entries(figures)) {
    const shown = await page.locator(`[data-figure="${key}"]`).innerText();
    check(shown === value, `the figure ${key} is ${value} as in the JSON (page: ${shown})`);
  }

  const totals = await rows(page, 'totals-table');
  const added = await rows(page, 'new-table');
  check(totals.length === expected.series.length && added.length === expected.series.length,
    `the chart tables have one row per period of the JSON series (${expected.series.length})`);
  expected.series.forEach((p, i) => {
    if (totals[i][0] !== p.period || totals[i][2] !== count(p.totalAccounts)
      || added[i][0] !== p.period || added[i][2] !== count(p.newAccounts)) {
      throw new Error(`row ${i}: page ${JSON.stringify([totals[i], added[i]])}, JSON ${JSON.stringify(p)}`);
    }
  });
  check(true, 'every period\'s total and new accounts equal the JSON');

  const areas = await rows(page, 'areas-table');
  check(areas.length === expected.byArea.length, `the area table has one row per area of the JSON (${expected.byArea.length})`);
  expected.byArea.forEach((a, i) => {
    const [name, accounts, population, uptake] = areas[i];
    if (!name.startsWith(a.name) || accounts !== count(a.accounts)
      || !population.startsWith(count(a.population)) || uptake !== percent(a.uptakePercent)) {
      throw new Error(`area row ${i}: page ${JSON.stringify(areas[i])}, JSON ${JSON.stringify(a)}`);
    }
  });
  check(true, 'every area\'s accounts, population and uptake equal the JSON ("Unknown" without a population)');
  check(expected.byArea.some((a) => a.population === null || a.population === undefined),
    'an area without a population is among them');

  const charts = await page.locator('svg[role="img"]').evaluateAll((svgs) => svgs.map((s) => ({
    name: s.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
    width: s.getBoundingClientRect().width,
    marks: s.querySelectorAll('rect, polyline').length,
  })));
  check(charts.length === 2, 'the page has two charts, each an SVG image');
  check(charts.every((c) => c.name.length > 20 && c.width > 300 && c.marks > 0), 'each chart is named and described and draws its data');
  check(problems.length === 0, `the report loads everything it asks for under its CSP ${problems.join('; ')}`);
  await page.screenshot({ path: `${shots}/uptake-report.png`, fullPage: true });
  check(true, `the screenshot is at ${shots}/uptake-report.png`);

  // The CSV link, in the same session.
  const href = await page.getByRole('link', { name: /Download the accounts by/ }).getAttribute('href');
  const csv = await manager.request.get(base + href);
  const lines = (await csv.text()).split('\r\n').filter((l) => l);
  check(csv.status() === 200 && csv.headers()['content-type'].startsWith('text/csv'), 'the CSV link downloads CSV in the same session');
  check(lines.length === expected.series.length + 1 && lines[1].startsWith(expected.series[0].period + ','),
    'the CSV has a header and one line per period');

  // The filter form, without JavaScript.
  await page.getByLabel('New accounts by').selectOption('week');
  const [filtered] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest()),
    page.getByRole('button', { name: 'Update report' }).click(),
  ]);
  await page.waitForLoadState('load');
  check(filtered.status() === 200 && new URL(page.url()).searchParams.get('interval') === 'week'
    && (await rows(page, 'new-table'))[0][0].includes('-W'), 'the filter form shows the report by week');

  const bad = await page.goto(`${base}/reports/uptake?from=2019-02-30&to=2019-03-31&interval=month`);
  check(bad.status() === 400 && (await page.title()) === 'Error: Account uptake' + SUFFIX, 'a wrong date answers 400 titled "Error: Account uptake"');
  check((await page.locator('.govuk-error-summary__list a[href="#from"]').innerText()).includes('Start date must be a real date'),
    'the error summary names the start date and links to it');
  check(await page.getByLabel('Start date').getAttribute('aria-invalid') === 'true', 'the start date field is marked invalid');
  const managerState = await manager.storageState();
  await manager.close();

  // ---- A resident: signed in, refused ----
  const resident = await browser.newContext({ javaScriptEnabled: false, viewport: DESKTOP, locale: LOCALE });
  const residentPage = await resident.newPage();
  current = residentPage;
  const refused = await signInThroughReport(residentPage, residentEmail);
  check(refused.status() === 403 && (await residentPage.title()) === 'You do not have access to reports' + SUFFIX,
    'a resident who signs in gets the 403 page "You do not have access to reports"');
  await looksLikeGovuk(residentPage, 'the 403 page');
  const residentState = await resident.storageState();
  await resident.close();

  // ---- axe, with JavaScript on for the checks only (bypassCSP: our CSP refuses injected script) ----
  for (const [name, url, state] of [
    ['the report', reportUrl, managerState],
    ['the report with filter errors', `${base}/reports/uptake?from=2019-02-30&to=2019-02-01&interval=year`, managerState],
    ['the 403 page', reportUrl, residentState],
  ]) {
    const audit = await browser.newContext({ bypassCSP: true, viewport: DESKTOP, locale: LOCALE, storageState: state });
    const auditPage = await audit.newPage();
    current = auditPage;
    await auditPage.goto(url);
    await axe(auditPage, name);
    await audit.close();
  }
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
