// Token endpoint throughput: refresh_token (rotation) and client_credentials (private_key_jwt),
// against a running service. Run by bench/token-throughput.sh, which starts the jar; by hand:
//
//   node bench/token-throughput.mjs BASE EMAIL PASSWORD CLIENT_ID KEY_JWK_FILE [seconds] [workers] [runs]
//
// EMAIL/PASSWORD: a verified resident; CLIENT_ID with the private JWK in KEY_JWK_FILE: a BACK_OFFICE
// or PARTNER client. Each worker keeps its own refresh-token chain (every refresh rotates it) or signs
// a fresh assertion (new jti) per request. Prints tokens per second for each run and the median.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tools/package.json', import.meta.url));
const { SignJWT, importJWK } = await import(require.resolve('jose'));

const [base, email, password, clientId, keyFile, secondsArg, workersArg, runsArg] = process.argv.slice(2);
if (!base || !email || !password || !clientId || !keyFile) {
  console.error('usage: node bench/token-throughput.mjs BASE EMAIL PASSWORD CLIENT_ID KEY_JWK_FILE [seconds] [workers] [runs]');
  process.exit(2);
}
const seconds = Number(secondsArg ?? 15);
const workers = Number(workersArg ?? 8);
const runs = Number(runsArg ?? 3);
const tokenUrl = `${base}/oauth2/token`;
const signInClient = 'bench-app';
const redirectUri = 'http://localhost/bench/callback';

function form(fields) {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields), redirect: 'manual' };
}

/** A sign-in through the form: returns a refresh token (one Argon2id check, outside the timing). */
async function signIn() {
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: signInClient, redirect_uri: redirectUri, response_type: 'code', scope: 'openid',
    state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  });
  const page = await fetch(`${base}/oauth2/authorize?${params}`, { redirect: 'manual' });
  const html = await page.text();
  const csrf = html.match(/name="csrf_token" value="([^"]+)"/)[1];
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const fields = Object.fromEntries(params);
  const answer = await fetch(`${base}/oauth2/authorize`, {
    ...form({ ...fields, csrf_token: csrf, email, password }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies, origin: base },
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`sign-in failed: ${answer.status}`);
  const code = new URL(location).searchParams.get('code');
  const tokens = await (await fetch(tokenUrl, form({
    grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: signInClient, code_verifier: verifier,
  }))).json();
  if (!tokens.refresh_token) throw new Error(`no refresh token: ${JSON.stringify(tokens)}`);
  return tokens.refresh_token;
}

const jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
const key = await importJWK(jwk, jwk.alg);

async function clientCredentials() {
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(clientId).setSubject(clientId).setAudience(tokenUrl)
    .setJti(randomUUID()).setIssuedAt().setExpirationTime('4m')
    .sign(key);
  const response = await fetch(tokenUrl, form({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }));
  const body = await response.json();
  if (response.status !== 200 || !body.access_token) throw new Error(`client_credentials: ${response.status} ${JSON.stringify(body)}`);
}

/** Runs `step` in `workers` loops for `seconds`; answers completed requests per second. */
async function measure(step, states) {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(states.map(async (state) => {
    while (performance.now() < until) {
      await step(state);
      done++;
    }
  }));
  return done / seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const chains = [];
for (let i = 0; i < workers; i++) chains.push({ refresh: await signIn() });
async function refresh(state) {
  const response = await fetch(tokenUrl, form({ grant_type: 'refresh_token', refresh_token: state.refresh, client_id: signInClient }));
  const body = await response.json();
  if (response.status !== 200) throw new Error(`refresh: ${response.status} ${JSON.stringify(body)}`);
  state.refresh = body.refresh_token;
}

const results = {};
for (const [name, step, states] of [
  ['refresh_token', refresh, chains],
  ['client_credentials', clientCredentials, Array.from({ length: workers }, () => ({}))],
]) {
  await measure(step, states.map((s) => s)); // warm-up run, not counted
  const perRun = [];
  for (let r = 0; r < runs; r++) perRun.push(await measure(step, states));
  results[name] = perRun;
  console.log(`${name}: workers=${workers} seconds=${seconds} runs=[${perRun.map((x) => x.toFixed(0)).join(', ')}] median=${median(perRun).toFixed(0)} tokens/s`);
}
