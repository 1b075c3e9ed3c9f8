// Node helpers for the bench scripts (jose from tools/node_modules), outside the timed runs:
//
//   node bench/bench.mjs key DIR KID
//       an ES256 key pair: DIR/key.json (private JWK, signs), DIR/public.json (public JWK, registered)
//   node bench/bench.mjs assertions KEY_FILE CLIENT_ID AUDIENCE COUNT > FILE
//       COUNT client_credentials form bodies, each with its own private_key_jwt assertion (unique
//       jti, exp five minutes ahead: the service's limit), one a line, for bench/client-credentials.lua
//   node bench/bench.mjs client-tokens BASE KEY_FILE CLIENT_ID... > FILE
//       one client_credentials access token a line, one per client
//   node bench/bench.mjs sign-in BASE CLIENT_ID SCOPE PASSWORD EMAIL... > FILE
//       signs each resident in through the real form (GET the authorize page, its CSRF token and
//       cookie, POST the form; then the code for tokens, PKCE): "access_token refresh_token" a line
//
// The assertions are ES256 JWS made with node:crypto and the key jose made: jose's async signing is
// two to three times slower, and a run needs one assertion per request (tens of thousands).
import { createHash, createPrivateKey, randomBytes, randomUUID, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tools/package.json', import.meta.url));
const { exportJWK, generateKeyPair } = await import(require.resolve('jose'));
const [command, ...args] = process.argv.slice(2);
const redirectUri = 'http://localhost/bench/callback';
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function form(fields, headers = {}) {
  return { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } };
}

function assertionSigner(keyFile, clientId, audience) {
  const jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const header = b64({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' });
  return () => {
    const now = Math.floor(Date.now() / 1000);
    const input = `${header}.${b64({ iss: clientId, sub: clientId, aud: audience, jti: randomUUID(), iat: now, exp: now + 300 })}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };
}

const grantBody = (assertion) => 'grant_type=client_credentials'
  + '&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer'
  + `&client_assertion=${assertion}`;

async function signIn(base, clientId, scope, password, email) {
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code',
    scope, state: 's', code_challenge_method: 'S256',
    code_challenge: createHash('sha256').update(verifier).digest('base64url') });
  const page = await fetch(`${base}/oauth2/authorize?${params}`, { redirect: 'manual' });
  const csrf = (await page.text()).match(/name="csrf_token" value="([^"]+)"/)[1];
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const answer = await fetch(`${base}/oauth2/authorize`,
    form({ ...Object.fromEntries(params), csrf_token: csrf, email, password }, { cookie, origin: base }));
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`sign-in of ${email} answered ${answer.status}`);
  const code = new URL(location).searchParams.get('code');
  const tokens = await (await fetch(`${base}/oauth2/token`, form({ grant_type: 'authorization_code', code,
    redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }))).json();
  if (!tokens.access_token) throw new Error(`no tokens for ${email}: ${JSON.stringify(tokens)}`);
  return `${tokens.access_token} ${tokens.refresh_token ?? '-'}`;
}

if (command === 'key') {
  const [dir, kid] = args;
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/key.json`, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }));
  writeFileSync(`${dir}/public.json`, JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }));
} else if (command === 'assertions') {
  const [keyFile, clientId, audience, count] = args;
  const next = assertionSigner(keyFile, clientId, audience);
  const lines = [];
  for (let i = 0; i < Number(count); i++) {
    lines.push(grantBody(next()));
    if (lines.length === 10000) { process.stdout.write(`${lines.join('\n')}\n`); lines.length = 0; }
  }
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
} else if (command === 'client-tokens') {
  const [base, keyFile, ...clients] = args;
  for (const clientId of clients) {
    const assertion = assertionSigner(keyFile, clientId, `${base}/oauth2/token`)();
    const answer = await fetch(`${base}/oauth2/token`, { method: 'POST', body: grantBody(assertion),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const body = await answer.json();
    if (!body.access_token) throw new Error(`no token for ${clientId}: ${answer.status} ${JSON.stringify(body)}`);
    console.log(body.access_token);
  }
} else if (command === 'sign-in') {
  const [base, clientId, scope, password, ...emails] = args;
  // Four at a time: each sign-in is one Argon2id check on the service's side.
  for (let i = 0; i < emails.length; i += 4) {
    const batch = emails.slice(i, i + 4).map((email) => signIn(base, clientId, scope, password, email));
    for (const line of await Promise.all(batch)) console.log(line);
  }
} else {
  console.error('usage: node bench/bench.mjs key|assertions|client-tokens|sign-in ... (see the header)');
  process.exit(2);
}
