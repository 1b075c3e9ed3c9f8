// The provider as a relying party nobody here wrote sees it: openid-client (certified OpenID Connect
// relying party library) and jose, with the sign-in form filled in by Debian's Chromium through
// playwright-core. Run by OutsideClientTest against a running service:
//
//   node tools/oidc-client-check.mjs BASE_URL EMAIL PASSWORD [options]
//
// Without options it checks what every build must do: discovery, authorization code + PKCE S256 +
// state + nonce, the ID and access tokens against our JWKS, userinfo, refresh-token rotation and
// replay, code replay and token revocation (RFC 7009). The options add the steps for SSO, logout and
// machine clients (OutsideClientTest passes them all); each step checks the real thing and fails
// when the feature is not there:
//
//   --sso CLIENT_ID=REDIRECT_URI      a second public client gets a code from the browser session,
//                                     without the sign-in form (SSO)
//   --logout POST_LOGOUT_REDIRECT_URI RP-initiated logout of the first client through discovery's
//                                     end_session_endpoint; afterwards prompt=none answers
//                                     login_required (for the --sso client too, when given) and
//                                     the signed-out session's refresh token is refused
//   --client-credentials CLIENT_ID=JWK_FILE
//                                     client_credentials with a private_key_jwt assertion that
//                                     openid-client signs with the ES256 private JWK in JWK_FILE;
//                                     the access token is verified as an RFC 9068 at+jwt whose sub
//                                     and client_id are the client
//   --client-scope SCOPE              the scope asked for with --client-credentials
//   --client CLIENT_ID=REDIRECT_URI   the public client signed in to (default council-tax-web)
//
// Prints "ok  <what>" per check and exits non-zero with the reason on the first failed one. Never
// downloads a browser; every host but localhost resolves to nothing, so the page cannot reach the
// network. allowInsecureRequests only because the test server is http://localhost.
import * as client from 'openid-client';
import * as jose from 'jose';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    client: { type: 'string', default: 'council-tax-web=http://localhost/callback' },
    sso: { type: 'string' },
    logout: { type: 'string' },
    'client-credentials': { type: 'string' },
    'client-scope': { type: 'string' },
  },
});
const [base, email, password] = positionals;
if (!base || !email || !password || positionals.length !== 3) {
  console.error('usage: node oidc-client-check.mjs BASE_URL EMAIL PASSWORD [--client ID=URI] [--sso ID=URI]'
    + ' [--logout POST_LOGOUT_URI] [--client-credentials ID=JWK_FILE --client-scope SCOPE]');
  process.exit(2);
}

/** "id=value" from a command-line option. */
function pair(option, value) {
  const at = value.indexOf('=');
  if (at < 1) {
    console.error(`--${option} takes CLIENT_ID=VALUE, not "${value}"`);
    process.exit(2);
  }
  return [value.slice(0, at), value.slice(at + 1)];
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
  console.log('ok  ' + message);
}

/** Expects the promise to be rejected; `accept` says whether the error is the right refusal. */
async function refused(promise, accept, message) {
  let outcome;
  try {
    outcome = await promise;
  } catch (error) {
    if (!(await accept(error))) {
      throw new Error(`${message}: refused for the wrong reason: ${describe(error)}`);
    }
    console.log('ok  ' + message + ` (${describe(error)})`);
    return error;
  }
  throw new Error(`${message}: it was accepted: ${JSON.stringify(outcome)?.slice(0, 300)}`);
}

function describe(error) {
  const parts = [error.name, error.code, error.error, error.status, error.error_description ?? error.message,
    error.cause instanceof Error ? `(${error.cause.message})` : null,
    error instanceof client.WWWAuthenticateChallengeError
      ? error.cause.map((c) => `${c.scheme} ${JSON.stringify(c.parameters)}`).join(', ') : null];
  return parts.filter((p) => p !== undefined && p !== null && p !== '').join(' ');
}

/** An RFC 6749 error answered by the token or revocation endpoint, parsed by openid-client. */
const oauthError = (code) => (e) => e instanceof client.ResponseBodyError && e.error === code;
/**
 * Failed client authentication: RFC 6749 section 5.2 invalid_client, answered 401 with a challenge
 * (which openid-client reports as the challenge, the body unread) or 400.
 */
const invalidClient = async (e) => (e instanceof client.ResponseBodyError && e.error === 'invalid_client')
  || (e instanceof client.WWWAuthenticateChallengeError && e.status === 401
    && (await e.response.json().catch(() => ({}))).error === 'invalid_client');
/** A protected resource refusing the bearer token: 401 with an RFC 6750 section 3 challenge. */
const unauthorized = (e) => e instanceof client.WWWAuthenticateChallengeError && e.status === 401
  && e.cause.some((c) => c.scheme === 'bearer' && c.parameters.error === 'invalid_token');
/** openid-client refusing a response by its own checks, before or without asking the provider. */
const libraryError = (code, about) => (e) => e instanceof client.ClientError && e.code === code
  && e.cause instanceof Error && e.cause.message.includes(about);
/** jose refusing a JWT with this error code (and, for claim checks, this claim). */
const joseError = (code, claim) => (e) => e.code === code && (claim === undefined || e.claim === claim);

const insecure = { execute: [client.allowInsecureRequests] };
const [clientId, redirectUri] = pair('client', options.client);
const sso = options.sso ? pair('sso', options.sso) : null;
const clientCredentials = options['client-credentials'] ? pair('client-credentials', options['client-credentials']) : null;
if (clientCredentials && !options['client-scope']) {
  console.error('--client-credentials needs --client-scope');
  process.exit(2);
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
const timer = setTimeout(() => { console.error('FAILED: the OIDC client check timed out'); process.exit(3); }, 150_000);
let current = null;

/** A fresh authorization request of the client: the URL and what the callback is checked with. */
async function authorizationRequest(config, redirect, extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce(), idTokenExpected: true };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    nonce: checks.expectedNonce,
    ...extra,
  });
  return { url, checks };
}

/**
 * Opens `url` and returns the URL the browser is sent to under `prefix`, which must come straight
 * from the redirect (no page in between). The redirect URIs have no server here: what matters is
 * where the browser is sent.
 */
async function expectRedirect(page, url, prefix, what) {
  const seen = page.waitForRequest((r) => r.isNavigationRequest() && r.url().startsWith(prefix), { timeout: 15_000 });
  seen.catch(() => {});
  const response = await page.goto(url.href).catch(() => null);
  if (response && !response.url().startsWith(prefix)) {
    throw new Error(`${what}: expected a redirect to ${prefix}, but ${response.url()} answered ${response.status()}`
      + ` with "${await page.title()}"`);
  }
  return new URL((await seen).url());
}

/** The resident fills in the sign-in form; returns the callback URL the browser is sent to. */
async function signInWithPassword(page, url, redirect) {
  current = page;
  const response = await page.goto(url.href);
  if (response.status() !== 200 || (await page.getByLabel('Password').count()) !== 1) {
    throw new Error(`expected the sign-in form, got ${response.status()} "${await page.title()}"`);
  }
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  const [callback] = await Promise.all([
    page.waitForRequest((r) => r.isNavigationRequest() && r.url().startsWith(redirect)),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return new URL(callback.url());
}

/** A sign-in in a browser of its own (no cookies), exchanged for tokens by openid-client. */
async function freshGrant(config, redirect) {
  const context = await browser.newContext();
  try {
    const { url, checks } = await authorizationRequest(config, redirect, { scope: 'openid profile email' });
    const callback = await signInWithPassword(await context.newPage(), url, redirect);
    return { callback, checks, tokens: await client.authorizationCodeGrant(config, callback, checks) };
  } finally {
    await context.close();
  }
}

let exitCode = 0;
try {
  // ---- discovery ----
  const issuer = new URL(base);
  const config = await client.discovery(issuer, clientId, undefined, client.None(), insecure);
  const metadata = config.serverMetadata();
  check(metadata.issuer === base, `openid-client discovers the provider; issuer ${metadata.issuer}`);
  check(metadata.code_challenge_methods_supported?.includes('S256'), 'discovery offers PKCE S256');
  check(metadata.authorization_response_iss_parameter_supported === true,
    'discovery says the authorization response carries iss (RFC 9207), so openid-client checks it');
  const jwks = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
  const algorithms = ['ES256', 'RS256'];
  // OIDC Core section 2 (auth_time: we always sign in interactively) and RFC 9068 section 2.2.
  const asIdToken = { issuer: base, audience: clientId, algorithms, requiredClaims: ['sub', 'iat', 'exp', 'auth_time'] };
  const asAccessToken = { issuer: base, audience: base, typ: 'at+jwt', algorithms,
    requiredClaims: ['sub', 'iat', 'exp', 'client_id', 'jti'] };

  // ---- authorization code + PKCE in the browser; this context is the resident's browser ----
  const resident = await browser.newContext();
  const page = await resident.newPage();
  const first = await authorizationRequest(config, redirectUri, { scope: 'openid profile email' });
  check(first.url.searchParams.get('code_challenge_method') === 'S256', 'openid-client builds an authorization URL with PKCE S256, state and nonce');
  const callback = await signInWithPassword(page, first.url, redirectUri);
  check(callback.searchParams.has('code') && callback.searchParams.get('iss') === base,
    'Chromium signs in through the form and is sent back to the client with a code and iss');

  await refused(client.authorizationCodeGrant(config, callback, { ...first.checks, expectedState: client.randomState() }),
    libraryError('OAUTH_INVALID_RESPONSE', '"state"'),
    'openid-client refuses a callback whose state is not the one it sent');
  const tokens = await client.authorizationCodeGrant(config, callback, first.checks);
  const claims = tokens.claims();
  check(tokens.token_type.toLowerCase() === 'bearer' && typeof tokens.expires_in === 'number' && tokens.refresh_token,
    `openid-client exchanges the code (PKCE, iss, state, nonce and ID token checked); token_type ${tokens.token_type}, expires_in ${tokens.expires_in}`);
  check(claims.email === email && claims.nonce === first.checks.expectedNonce, 'the ID token is about the resident and carries the nonce');

  // ---- the tokens verified independently with jose against our JWKS ----
  const idToken = await jose.jwtVerify(tokens.id_token, jwks, asIdToken);
  check(idToken.payload.sub === claims.sub && idToken.protectedHeader.kid,
    `jose verifies the ID token against jwks_uri (${idToken.protectedHeader.alg}, kid ${idToken.protectedHeader.kid})`);
  const accessToken = await jose.jwtVerify(tokens.access_token, jwks, asAccessToken);
  check(accessToken.payload.sub === claims.sub && accessToken.payload.client_id === clientId
    && accessToken.payload.scope.split(' ').includes('openid'),
    'jose verifies the access token as an RFC 9068 at+jwt for this resident and client');
  const [header, , signature] = tokens.id_token.split('.');
  const forged = jose.base64url.encode(JSON.stringify({ ...idToken.payload, sub: 'someone-else' }));
  await refused(jose.jwtVerify(`${header}.${forged}.${signature}`, jwks, asIdToken),
    joseError('ERR_JWS_SIGNATURE_VERIFICATION_FAILED'), 'jose refuses an ID token whose claims were changed');
  await refused(jose.jwtVerify(tokens.id_token, jwks, asAccessToken),
    joseError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'typ'), 'jose refuses the ID token where an access token is expected (typ)');
  await refused(jose.jwtVerify(tokens.access_token, jwks, { ...asIdToken, requiredClaims: [] }),
    joseError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'aud'), 'jose refuses the access token where the ID token is expected (aud)');

  // ---- userinfo ----
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  check(userinfo.sub === claims.sub && userinfo.email === email && userinfo.email_verified === true
    && userinfo.given_name === 'Ada' && userinfo.family_name === 'Lovelace',
    'openid-client fetches userinfo: the same sub, email verified, names for scope profile');
  await refused(client.fetchUserInfo(config, tokens.access_token, 'someone-else'),
    libraryError('OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED', '"sub"'),
    'openid-client refuses userinfo about another subject than expected');

  // ---- refresh: rotation ----
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  check(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token,
    'openid-client refreshes the tokens and the refresh token rotates');
  const refreshedAccess = await jose.jwtVerify(refreshed.access_token, jwks, asAccessToken);
  check(refreshedAccess.payload.sub === claims.sub && refreshed.claims()?.sub === claims.sub
    && refreshed.claims().auth_time === claims.auth_time,
    'jose verifies the new access token; the new ID token is about the same sign-in (sub, auth_time: OIDC Core 12.2)');
  check((await client.fetchUserInfo(config, refreshed.access_token, claims.sub)).sub === claims.sub,
    'the new access token is accepted by userinfo');

  // ---- refresh: the old token is refused afterwards, and its replay ends the grant ----
  const replay = await freshGrant(config, redirectUri);
  const rotated = await client.refreshTokenGrant(config, replay.tokens.refresh_token);
  await refused(client.refreshTokenGrant(config, replay.tokens.refresh_token), oauthError('invalid_grant'),
    'a rotated refresh token is refused when presented again');
  await refused(client.refreshTokenGrant(config, rotated.refresh_token), oauthError('invalid_grant'),
    'the replay ended the grant: its newest refresh token is refused too (RFC 9700 section 4.14.2)');
  await refused(client.fetchUserInfo(config, rotated.access_token, claims.sub), unauthorized,
    'and so is its access token, at userinfo');

  // ---- token revocation (RFC 7009), then a replayed code ----
  const revoked = await freshGrant(config, redirectUri);
  await client.tokenRevocation(config, revoked.tokens.refresh_token, { token_type_hint: 'refresh_token' });
  console.log('ok  openid-client revokes a refresh token at revocation_endpoint');
  await refused(client.refreshTokenGrant(config, revoked.tokens.refresh_token), oauthError('invalid_grant'),
    'the revoked refresh token is refused');
  await refused(client.fetchUserInfo(config, revoked.tokens.access_token, claims.sub), unauthorized,
    'the access token of the revoked grant is refused at userinfo');
  await refused(client.authorizationCodeGrant(config, revoked.callback, revoked.checks), oauthError('invalid_grant'),
    'a code is refused the second time it is exchanged');

  // ================= SSO, logout and machine clients: only with their option =================
  let ssoConfig = null;
  if (sso) {
    // SSO: the resident's browser already signed in for the first client.
    const [ssoClient, ssoRedirect] = sso;
    ssoConfig = await client.discovery(issuer, ssoClient, undefined, client.None(), insecure);
    const request = await authorizationRequest(ssoConfig, ssoRedirect);
    const back = await expectRedirect(page, request.url, ssoRedirect, 'SSO');
    check(back.searchParams.has('code'), `SSO: ${ssoClient} gets a code from the browser session, without the sign-in form`);
    const ssoTokens = await client.authorizationCodeGrant(ssoConfig, back, request.checks);
    check(ssoTokens.claims().sub === claims.sub && [].concat(ssoTokens.claims().aud).includes(ssoClient),
      `SSO: ${ssoClient}'s ID token is about the same resident`);
    await jose.jwtVerify(ssoTokens.access_token, jwks, asAccessToken);
    console.log(`ok  SSO: jose verifies ${ssoClient}'s access token`);
  }

  if (options.logout) {
    // RP-initiated logout 1.0 of the first client, with the ID token from its refresh.
    check(typeof metadata.end_session_endpoint === 'string', `logout: discovery names end_session_endpoint ${metadata.end_session_endpoint}`);
    const state = client.randomState();
    const logoutUrl = client.buildEndSessionUrl(config, {
      id_token_hint: refreshed.id_token,
      post_logout_redirect_uri: options.logout,
      state,
    });
    const back = await expectRedirect(page, logoutUrl, options.logout, 'logout');
    check(back.searchParams.get('state') === state, 'logout: the browser is sent to the registered post_logout_redirect_uri with the state');
    const silent = [[config, redirectUri]];
    if (ssoConfig) {
      silent.push([ssoConfig, sso[1]]);
    }
    for (const [silentConfig, silentRedirect] of silent) {
      const request = await authorizationRequest(silentConfig, silentRedirect, { prompt: 'none' });
      const answer = await expectRedirect(page, request.url, silentRedirect, 'prompt=none after logout');
      await refused(client.authorizationCodeGrant(silentConfig, answer, request.checks),
        (e) => e instanceof client.AuthorizationResponseError && e.error === 'login_required',
        `logout: ${silentConfig.clientMetadata().client_id}'s prompt=none answers login_required`);
    }
    // The provider ends the grants issued in the signed-out session, not only the session.
    await refused(client.refreshTokenGrant(config, refreshed.refresh_token), oauthError('invalid_grant'),
      'logout: the refresh token of the signed-out session is refused');
  }
  await resident.close();

  if (clientCredentials) {
    // client_credentials: openid-client makes and signs the private_key_jwt assertion.
    const [ccClient, keyFile] = clientCredentials;
    const jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
    const key = { key: await jose.importJWK(jwk, 'ES256'), kid: jwk.kid };
    const ccConfig = await client.discovery(issuer, ccClient, undefined, client.PrivateKeyJwt(key), insecure);
    check(ccConfig.serverMetadata().grant_types_supported?.includes('client_credentials'),
      'client_credentials: discovery offers the grant');
    const cc = await client.clientCredentialsGrant(ccConfig, { scope: options['client-scope'] });
    // RFC 6749 section 4.4.3: no refresh token for client_credentials; no resident, so no ID token.
    check(cc.token_type.toLowerCase() === 'bearer' && !cc.refresh_token && !cc.id_token, `client_credentials: openid-client gets an access token with a private_key_jwt assertion (${jwk.kid})`);
    // RFC 9068 section 2.2: without a resident, sub is the client's own identifier.
    const ccAccess = await jose.jwtVerify(cc.access_token, jwks, asAccessToken);
    check(ccAccess.payload.sub === ccClient && ccAccess.payload.client_id === ccClient
      && String(ccAccess.payload.scope ?? '').split(' ').includes(options['client-scope']),
      'client_credentials: jose verifies the access token (at+jwt), sub and client_id the client, with the scope');
    const stranger = await jose.generateKeyPair('ES256');
    const strangerConfig = await client.discovery(issuer, ccClient, undefined,
      client.PrivateKeyJwt({ key: stranger.privateKey, kid: jwk.kid }), insecure);
    await refused(client.clientCredentialsGrant(strangerConfig, { scope: options['client-scope'] }), invalidClient,
      'client_credentials: an assertion signed with another key is refused');
  }
} catch (error) {
  console.error('FAILED: ' + describe(error));
  if (error.cause && !(error.cause instanceof Response)) {
    console.error('cause: ' + JSON.stringify(error.cause)?.slice(0, 500));
  }
  if (current && !current.isClosed() && current.url().startsWith(base)) {
    console.error(`at ${current.url()}: ${(await current.content().catch(() => '')).slice(0, 2000)}`);
  }
  exitCode = 1;
} finally {
  clearTimeout(timer);
  await browser.close();
}
process.exit(exitCode);
