package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7009 section 2.1: works out what a presented token is (one of our access tokens, or one of
 * our refresh tokens), checks it was issued to the calling client, and revokes it.
 */
@Singleton
class TokenRevoker {
  private static final Logger LOG = LoggerFactory.getLogger(TokenRevoker.class);

  private final AccessTokenVerifier verifier;
  private final RefreshTokens refreshTokens;
  private final Revocations revocations;

  private final Clock clock;

  TokenRevoker(
      AccessTokenVerifier verifier,
      RefreshTokens refreshTokens,
      Revocations revocations,
      Clock clock) {
    this.verifier = verifier;
    this.refreshTokens = refreshTokens;
    this.revocations = revocations;
    this.clock = clock;
  }

  @Transactional(noRollbackFor = OAuthException.class)
  void revoke(String token, Client client) {
    Optional<SignedJWT> accessToken = ourAccessToken(token);
    if (accessToken.isPresent()) {
      revokeAccessToken(accessToken.get(), client);
      return;
    }
    Optional<RefreshToken> refreshToken = refreshTokens.find(token);
    if (refreshToken.isPresent()) {
      if (!refreshToken.get().clientId().equals(client.clientId())) {
        throw RevocationEndpoint.NOT_YOURS;
      }
      refreshTokens.revokeFamily(refreshToken.get().familyId());
      LOG.info("grant revoked by its client familyId={}", refreshToken.get().familyId());
    }
    // Anything else is not a token we know: 200 all the same (RFC 7009 section 2.2).
  }

  private void revokeAccessToken(SignedJWT jwt, Client client) {
    try {
      var claims = jwt.getJWTClaimsSet();
      if (!client.clientId().equals(claims.getStringClaim("client_id"))) {
        throw RevocationEndpoint.NOT_YOURS;
      }
      Date expires = claims.getExpirationTime();
      if (claims.getJWTID() != null
          && expires != null
          && expires.toInstant().isAfter(clock.instant())) {
        revocations.revokeToken(claims.getJWTID(), expires.toInstant());
        LOG.info("access token revoked by its client");
      }
    } catch (ParseException malformed) {
      // Signed by us but unreadable claims cannot happen; treat as unknown.
    }
  }

  private Optional<SignedJWT> ourAccessToken(String token) {
    if (token.chars().filter(c -> c == '.').count() != 2) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      return verifier.verify(jwt) ? Optional.of(jwt) : Optional.empty();
    } catch (ParseException | JOSEException notOurs) {
      return Optional.empty();
    }
  }
}
