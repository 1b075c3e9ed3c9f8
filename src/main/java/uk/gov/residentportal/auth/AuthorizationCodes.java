package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * Authorization codes: 256-bit, hashed at rest, 60 seconds, single use, bound to the client, the
 * redirect URI and the PKCE challenge (RFC 6749 section 4.1.2, RFC 7636).
 */
@Singleton
final class AuthorizationCodes {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodes.class);

  private final AuthorizationCodeRepository codes;
  private final RefreshTokens refreshTokens;
  private final SecretTokens secrets;
  private final TokenConfig config;
  private final Clock clock;

  AuthorizationCodes(
      AuthorizationCodeRepository codes,
      RefreshTokens refreshTokens,
      SecretTokens secrets,
      TokenConfig config,
      Clock clock) {
    this.codes = codes;
    this.refreshTokens = refreshTokens;
    this.secrets = secrets;
    this.config = config;
    this.clock = clock;
  }

  /**
   * A code for the request, carrying how the resident signed in: the browser session's account,
   * assurance level and sign-in time (OIDC Core 3.1.2.1: auth_time is the original sign-in's, also
   * when the code comes from single sign-on).
   */
  String issue(AuthorizationRequest request, BrowserSession session) {
    String code = secrets.generate();
    Instant now = clock.instant();
    codes.save(
        new AuthorizationCode(
            SecretTokens.hash(code),
            request.clientId(),
            session.accountId(),
            request.redirectUri(),
            request.codeChallenge(),
            request.scope(),
            request.nonce(),
            session.acr(),
            session.authTime(),
            UUID.randomUUID().toString(),
            now,
            now.plus(config.authorizationCodeTtl()),
            null,
            session.id()));
    return code;
  }

  /** Unused codes of an ended session can no longer be redeemed. */
  int deleteUnused(String sessionId) {
    return codes.deleteUnusedBySessionId(sessionId);
  }

  /**
   * Redeems a code for {@code clientId}. A second redemption revokes everything the first one
   * issued (RFC 6749 section 4.1.2): that is signalled with {@link RefreshTokens.ReuseDetected} so
   * the revocation commits.
   */
  TokenIssuer.Grant redeem(String code, String clientId, String redirectUri, String verifier) {
    Instant now = clock.instant();
    if (!SecretTokens.wellFormed(code)) {
      throw invalidGrant("The authorization code is not valid");
    }
    if (ReportsClient.CLIENT_ID.equals(clientId)) {
      // The report pages rely on the browser session the sign-in made and never redeem their
      // codes: a code of theirs that leaked (browser history, a crafted authorize link) gives
      // nothing.
      throw invalidGrant("This client's codes are not redeemable");
    }
    AuthorizationCode stored =
        codes
            .findById(SecretTokens.hash(code))
            .orElseThrow(() -> invalidGrant("The authorization code is not valid"));
    if (!constantTimeEquals(stored.clientId(), clientId)) {
      throw invalidGrant("The authorization code was not issued to this client");
    }
    if (stored.usedAt() != null || codes.markUsed(stored.codeHash(), now) != 1) {
      int revoked = refreshTokens.revokeFamily(stored.familyId());
      LOG.warn(
          "authorization code replayed: issued tokens revoked familyId={} tokens={}",
          stored.familyId(),
          revoked);
      throw new RefreshTokens.ReuseDetected();
    }
    if (!stored.expiresAt().isAfter(now)) {
      throw invalidGrant("The authorization code has expired");
    }
    if (!stored.redirectUri().equals(redirectUri)) {
      throw invalidGrant("redirect_uri does not match the authorization request");
    }
    if (verifier == null) {
      throw new OAuthException(OAuth2Error.INVALID_REQUEST, "code_verifier is required");
    }
    // RFC 7636 section 4.6, S256 only; the verifier's syntax is checked by Nimbus.
    CodeChallenge expected;
    try {
      expected = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier));
    } catch (IllegalArgumentException e) {
      throw invalidGrant("code_verifier is not valid");
    }
    if (!constantTimeEquals(expected.getValue(), stored.codeChallenge())) {
      throw invalidGrant("code_verifier does not match the code challenge");
    }
    return new TokenIssuer.Grant(
        stored.clientId(),
        stored.accountId(),
        stored.scope(),
        stored.acr(),
        stored.authTime(),
        stored.nonce(),
        stored.familyId(),
        stored.sessionId());
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static OAuthException invalidGrant(String description) {
    return new OAuthException(OAuth2Error.INVALID_GRANT, description);
  }
}
