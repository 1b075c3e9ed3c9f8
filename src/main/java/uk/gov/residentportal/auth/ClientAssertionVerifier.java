package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.PortalUrls;

/**
 * Checks a private_key_jwt client assertion (RFC 7523 sections 2.2 and 3, OIDC Core section 9) by
 * the NHS API platform's rules: an allow-listed asymmetric {@code alg}, a {@code kid} naming one of
 * the client's registered keys, {@code iss = sub = client_id}, {@code aud} our token endpoint or
 * issuer, {@code exp} at most five minutes ahead, and a {@code jti} used once. Every failure is
 * {@code invalid_client}; descriptions name the rule, never the assertion's content.
 */
@Singleton
class ClientAssertionVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(ClientAssertionVerifier.class);

  /**
   * Asymmetric algorithms only: never {@code none}, never HMAC (which, keyed with a public key,
   * anyone could compute).
   */
  static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

  static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final UsedAssertions usedAssertions;
  private final PortalUrls urls;
  private final Clock clock;

  ClientAssertionVerifier(UsedAssertions usedAssertions, PortalUrls urls, Clock clock) {
    this.usedAssertions = usedAssertions;
    this.urls = urls;
    this.clock = clock;
  }

  /** The assertion parsed, unverified: only to learn which client claims to send it. */
  static SignedJWT parse(String assertion) {
    try {
      return SignedJWT.parse(assertion);
    } catch (ParseException | RuntimeException e) {
      // Includes alg none: Nimbus does not parse an unsecured JWT as a signed one.
      throw refused("The client assertion is not a signed JWT");
    }
  }

  /** The client the assertion names as its issuer, unverified; null when there is none. */
  static String claimedClientId(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw refused("The client assertion is not a signed JWT");
    }
  }

  /** Verifies {@code jwt} as {@code client}'s assertion and uses up its jti. */
  void verify(SignedJWT jwt, Client client) {
    JWSHeader header = jwt.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      throw rejected(client, "alg", "The client assertion algorithm is not allowed");
    }
    if (header.getKeyID() == null) {
      throw rejected(client, "kid", "The client assertion has no kid");
    }
    Optional<JWK> key = ClientJwks.byKid(client.jwks(), header.getKeyID());
    if (key.isEmpty()) {
      throw rejected(client, "kid", "The client assertion kid is not registered");
    }
    if (!signatureValid(jwt, alg, key.get())) {
      throw rejected(client, "signature", "The client assertion signature is not valid");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw rejected(client, "claims", "The client assertion is not a signed JWT");
    }
    Instant expiresAt = checkClaims(claims, client);
    // Rows outlive the assertion by the skew we allow on exp, so no replay slips in between.
    if (!usedAssertions.firstUse(
        client.clientId(), claims.getJWTID(), expiresAt.plus(CLOCK_SKEW))) {
      throw rejected(client, "jti", "The client assertion was used before");
    }
  }

  private Instant checkClaims(JWTClaimsSet claims, Client client) {
    String clientId = client.clientId();
    // RFC 7523 section 3 items 1 and 2; OIDC Core section 9: both are the client.
    if (!clientId.equals(claims.getIssuer())) {
      throw rejected(client, "iss", "The client assertion iss must be the client_id");
    }
    if (!clientId.equals(claims.getSubject())) {
      throw rejected(client, "sub", "The client assertion sub must be the client_id");
    }
    List<String> audience = claims.getAudience();
    String issuer = urls.issuer();
    String tokenEndpoint = issuer + "/oauth2/token";
    // One audience only, and it must be us: an assertion minted for several servers, or for
    // another one, is refused (the audience injection of draft-ietf-oauth-rfc7523bis).
    if (audience == null
        || audience.size() != 1
        || !(audience.contains(tokenEndpoint) || audience.contains(issuer))) {
      throw rejected(client, "aud", "The client assertion aud must be the token endpoint URL");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw rejected(client, "exp", "The client assertion has no exp");
    }
    Instant expiresAt = exp.toInstant();
    if (!expiresAt.isAfter(now.minus(CLOCK_SKEW))) {
      throw rejected(client, "exp", "The client assertion has expired");
    }
    // NHS API platform: exp no more than five minutes ahead, so a leaked assertion dies soon.
    if (expiresAt.isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
      throw rejected(
          client, "exp", "The client assertion exp must be at most 5 minutes in the future");
    }
    Date iat = claims.getIssueTime();
    if (iat != null && iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw rejected(client, "iat", "The client assertion iat is in the future");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw rejected(client, "nbf", "The client assertion is not valid yet");
    }
    String jti = claims.getJWTID();
    if (jti == null || jti.isBlank() || jti.length() > 512) {
      throw rejected(client, "jti", "The client assertion needs a jti");
    }
    return expiresAt;
  }

  private static boolean signatureValid(SignedJWT jwt, JWSAlgorithm alg, JWK key) {
    try {
      JWSVerifier verifier;
      if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
        verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
      } else if (key instanceof ECKey ec
          && JWSAlgorithm.Family.EC.contains(alg)
          && Curve.forJWSAlgorithm(alg).contains(ec.getCurve())) {
        verifier = new ECDSAVerifier(ec.toECPublicKey());
      } else {
        // The algorithm does not fit the key (RS256 with an EC key, ES384 with a P-256 key...).
        return false;
      }
      return jwt.verify(verifier);
    } catch (JOSEException e) {
      return false;
    }
  }

  private static OAuthException rejected(Client client, String rule, String description) {
    LOG.info("client assertion refused clientId={} rule={}", client.clientId(), rule);
    return refused(description);
  }

  static OAuthException refused(String description) {
    return new OAuthException(OAuth2Error.INVALID_CLIENT, description);
  }
}
