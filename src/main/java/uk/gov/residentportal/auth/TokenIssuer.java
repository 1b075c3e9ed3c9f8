package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import uk.gov.residentportal.account.AccountClaims;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.account.Role;
import uk.gov.residentportal.shared.PortalUrls;

/**
 * Mints access tokens (RFC 9068 JWT profile) and ID tokens (OIDC Core section 2) for a grant, and
 * refresh tokens through {@link RefreshTokens}.
 */
@Singleton
final class TokenIssuer {
  static final String GRANT_ID = "grant_id";

  /** The back-office system a machine token speaks for (records it may write are its own). */
  static final String SOURCE_SYSTEM = "source_system";

  /** The NHS organisation (ODS code) a partner's machine token speaks for. */
  static final String ORGANISATION_ODS = "organisation_ods";

  private final TokenSigner signer;
  private final RefreshTokens refreshTokens;
  private final AccountService accounts;
  private final PortalUrls urls;
  private final TokenConfig config;
  private final Clock clock;

  TokenIssuer(
      TokenSigner signer,
      RefreshTokens refreshTokens,
      AccountService accounts,
      PortalUrls urls,
      TokenConfig config,
      Clock clock) {
    this.signer = signer;
    this.refreshTokens = refreshTokens;
    this.accounts = accounts;
    this.urls = urls;
    this.config = config;
    this.clock = clock;
  }

  /** What a resident's grant yields. The account must still be active. */
  TokenResponse issueForResident(Grant grant) {
    return issueForResident(grant, grant.scope());
  }

  /**
   * As {@link #issueForResident(Grant)}, with access and ID tokens for {@code scope} (a subset of
   * the grant's); the refresh token keeps the grant's own scope.
   */
  TokenResponse issueForResident(Grant grant, String scope) {
    AccountClaims account =
        accounts
            .claims(grant.accountId())
            .orElseThrow(
                () ->
                    new OAuthException(
                        OAuth2Error.INVALID_GRANT, "The account is no longer active"));
    Instant now = clock.instant();
    Set<String> scopes = Set.of(scope.split(" "));
    String accessToken = accessToken(grant, scope, account.roles(), now);
    String idToken = scopes.contains("openid") ? idToken(grant, account, scopes, now) : null;
    String refreshToken = refreshTokens.issue(grant, now);
    return new TokenResponse(
        accessToken, "Bearer", config.accessTokenTtl().toSeconds(), refreshToken, idToken, scope);
  }

  private String accessToken(Grant grant, String scope, Set<Role> roles, Instant now) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(urls.issuer())
            .subject(grant.accountId())
            .audience(urls.issuer())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(config.accessTokenTtl())))
            .jwtID(UUID.randomUUID().toString())
            .claim("client_id", grant.clientId())
            // The grant (refresh-token family) this token belongs to, so revoking the grant
            // revokes the token too.
            .claim(GRANT_ID, grant.familyId())
            .claim("scope", scope)
            .claim("acr", grant.acr())
            .claim("auth_time", grant.authTime().getEpochSecond());
    if (!roles.isEmpty()) {
      claims.claim("roles", roles.stream().map(Role::name).sorted().toList());
    }
    return signer.sign(TokenSigner.ACCESS_TOKEN_TYPE, claims.build());
  }

  private String idToken(Grant grant, AccountClaims account, Set<String> scopes, Instant now) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(urls.issuer())
            .subject(grant.accountId())
            .audience(grant.clientId())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(config.idTokenTtl())))
            .jwtID(UUID.randomUUID().toString())
            .claim("azp", grant.clientId())
            .claim("auth_time", grant.authTime().getEpochSecond())
            .claim("acr", grant.acr())
            .claim("amr", AuthenticationStrength.amrOf(grant.acr()));
    if (grant.nonce() != null) {
      claims.claim("nonce", grant.nonce());
    }
    if (grant.sessionId() != null) {
      // OIDC Front-/Back-Channel Logout: the session the resident signed in with, so the client
      // can match a logout token to its own session.
      claims.claim("sid", grant.sessionId());
    }
    UserClaims.add(claims::claim, account, scopes);
    return signer.sign(JOSEObjectType.JWT, claims.build());
  }

  /**
   * A machine client's access token (client_credentials): RFC 9068 section 2.2 makes the client its
   * own subject, so {@code sub} is the client_id, never a resident. No refresh token (RFC 6749
   * section 4.4.3) and no ID token: nobody signed in.
   */
  TokenResponse issueForMachine(Client client, String scope) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(urls.issuer())
            .subject(client.clientId())
            .audience(urls.issuer())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(config.machineTokenTtl())))
            .jwtID(UUID.randomUUID().toString())
            .claim("client_id", client.clientId())
            .claim("scope", scope);
    if (client.sourceSystem() != null) {
      claims.claim(SOURCE_SYSTEM, client.sourceSystem());
    }
    if (client.organisationOds() != null) {
      claims.claim(ORGANISATION_ODS, client.organisationOds());
    }
    String accessToken = signer.sign(TokenSigner.ACCESS_TOKEN_TYPE, claims.build());
    return new TokenResponse(
        accessToken, "Bearer", config.machineTokenTtl().toSeconds(), null, null, scope);
  }

  /** Everything a grant was issued for: who, which client, what scope, how they signed in. */
  record Grant(
      String clientId,
      String accountId,
      String scope,
      String acr,
      Instant authTime,
      @Nullable String nonce,
      String familyId,
      @Nullable String sessionId) {}
}
