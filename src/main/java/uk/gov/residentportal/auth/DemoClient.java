package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micronaut.http.uri.UriBuilder;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.PortalUrls;

/**
 * The first-run demo: a public client {@code demo} whose redirect URI is our own {@code
 * /demo/callback} page, which shows the code and the command that exchanges it. Registered only on
 * the embedded default (or with PORTAL_DEMO_CLIENT=true); never in production by default.
 */
@Singleton
final class DemoClient {
  static final String CLIENT_ID = "demo";
  private static final Logger LOG = LoggerFactory.getLogger(DemoClient.class);

  private final ClientService clients;
  private final PortalUrls urls;
  // One PKCE pair per start, so the printed link and the callback page's command fit together.
  private final CodeVerifier verifier = new CodeVerifier();
  private volatile boolean enabled;

  DemoClient(ClientService clients, PortalUrls urls) {
    this.clients = clients;
    this.urls = urls;
  }

  void register() {
    clients.upsert(
        new ClientRegistration(
            CLIENT_ID,
            "Demo council service",
            ClientType.PUBLIC,
            List.of(redirectUri()),
            List.of(urls.issuer() + "/"),
            null,
            List.of("openid", "profile", "email", "account"),
            null,
            null,
            null,
            null));
    enabled = true;
    LOG.info("demo client '{}' registered; try the sign-in flow at {}", CLIENT_ID, authorizeUrl());
  }

  boolean enabled() {
    return enabled;
  }

  String redirectUri() {
    return urls.issuer() + "/demo/callback";
  }

  String verifier() {
    return verifier.getValue();
  }

  String authorizeUrl() {
    return UriBuilder.of(urls.issuer() + "/oauth2/authorize")
        .queryParam("client_id", CLIENT_ID)
        .queryParam("response_type", "code")
        .queryParam("scope", "openid profile email account")
        .queryParam("redirect_uri", redirectUri())
        .queryParam(
            "code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue())
        .queryParam("code_challenge_method", "S256")
        .queryParam("state", "demo")
        .toString();
  }
}
