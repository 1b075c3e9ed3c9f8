package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.SecretTokens;

/**
 * Opaque refresh tokens, hashed at rest and rotated on every use (OAuth 2.0 Security BCP, RFC 9700
 * section 4.14.2). Presenting a token that was already rotated means it leaked or was replayed: the
 * whole family is revoked, so neither the thief nor the resident's copy works any more.
 */
@Singleton
final class RefreshTokens {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshTokens.class);

  private final RefreshTokenRepository tokens;
  private final Revocations revocations;
  private final SecretTokens secrets;
  private final TokenConfig config;
  private final Clock clock;

  RefreshTokens(
      RefreshTokenRepository tokens,
      Revocations revocations,
      SecretTokens secrets,
      TokenConfig config,
      Clock clock) {
    this.tokens = tokens;
    this.revocations = revocations;
    this.secrets = secrets;
    this.config = config;
    this.clock = clock;
  }

  /**
   * A new token in the grant's family; the value is returned once and never stored. A family lives
   * {@code portal.tokens.refresh-token-ttl} from its sign-in, however often it rotates (ASVS V3.3:
   * sessions have an absolute lifetime).
   */
  String issue(TokenIssuer.Grant grant, Instant now) {
    String value = secrets.generate();
    tokens.save(
        new RefreshToken(
            UUID.randomUUID().toString(),
            SecretTokens.hash(value),
            grant.familyId(),
            grant.clientId(),
            grant.accountId(),
            grant.scope(),
            grant.acr(),
            grant.authTime(),
            now,
            grant.authTime().plus(config.refreshTokenTtl()),
            null,
            null,
            grant.sessionId()));
    return value;
  }

  /**
   * Redeems a refresh token presented by {@code clientId}: marks it rotated and returns the grant
   * it stands for, to be issued afresh in the same family. A scope the caller asks for is checked
   * with {@code scopeAllowed} before anything is written. The caller's transaction must commit the
   * revocation even when this throws, so reuse is handled before throwing.
   */
  TokenIssuer.Grant rotate(String value, String clientId, Predicate<String> scopeAllowed) {
    Instant now = clock.instant();
    RefreshToken token =
        (SecretTokens.wellFormed(value)
                ? tokens.findByTokenHash(SecretTokens.hash(value))
                : java.util.Optional.<RefreshToken>empty())
            .orElseThrow(() -> invalidGrant("The refresh token is not valid"));
    if (!token.clientId().equals(clientId)) {
      // RFC 6749 section 6: bound to the client it was issued to.
      throw invalidGrant("The refresh token was not issued to this client");
    }
    if (token.revokedAt() != null || !token.expiresAt().isAfter(now)) {
      throw invalidGrant("The refresh token is not valid");
    }
    if (token.rotatedAt() == null && !scopeAllowed.test(token.scope())) {
      throw new OAuthException(OAuth2Error.INVALID_SCOPE, "scope is wider than the grant");
    }
    if (token.rotatedAt() != null || tokens.markRotated(token.id(), now) != 1) {
      int revoked = revokeFamily(token.familyId());
      LOG.warn(
          "refresh token reuse detected: family revoked familyId={} tokens={}",
          token.familyId(),
          revoked);
      throw new ReuseDetected();
    }
    return new TokenIssuer.Grant(
        token.clientId(),
        token.accountId(),
        token.scope(),
        token.acr(),
        token.authTime(),
        null,
        token.familyId(),
        token.sessionId());
  }

  /**
   * Ends every grant of the account (password reset, erasure): its refresh tokens, and the access
   * tokens they issued.
   */
  int revokeAccount(String accountId) {
    tokens.findByAccountId(accountId).stream()
        .filter(t -> t.revokedAt() == null)
        .map(RefreshToken::familyId)
        .distinct()
        .forEach(revocations::revokeGrant);
    return tokens.revokeAccount(accountId, clock.instant());
  }

  /**
   * Ends a grant: its refresh tokens and the access tokens it issued (reuse, replay, revocation).
   */
  int revokeFamily(String familyId) {
    revocations.revokeGrant(familyId);
    return tokens.revokeFamily(familyId, clock.instant());
  }

  /**
   * Ends every grant issued in a browser session (logout, revocation from the list of devices):
   * their refresh tokens, and through the deny-list their access tokens.
   */
  int revokeSession(String sessionId) {
    List<String> families =
        tokens.findBySessionId(sessionId).stream()
            .filter(t -> t.revokedAt() == null)
            .map(RefreshToken::familyId)
            .distinct()
            .toList();
    families.forEach(this::revokeFamily);
    return families.size();
  }

  /** The browser session a grant was issued in, if any. */
  java.util.Optional<String> sessionOfGrant(String familyId) {
    return tokens.findFirstByFamilyId(familyId).map(RefreshToken::sessionId);
  }

  /** The refresh token with this value, if it is one of ours (for revocation). */
  java.util.Optional<RefreshToken> find(String value) {
    return SecretTokens.wellFormed(value)
        ? tokens.findByTokenHash(SecretTokens.hash(value))
        : java.util.Optional.empty();
  }

  private static OAuthException invalidGrant(String description) {
    return new OAuthException(OAuth2Error.INVALID_GRANT, description);
  }

  /** Signals reuse: the revocation must be committed before the error is answered. */
  static final class ReuseDetected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReuseDetected() {
      super("refresh token reuse", null, false, false);
    }
  }
}
