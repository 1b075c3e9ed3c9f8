package uk.gov.residentportal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;
import uk.gov.residentportal.support.Portal.Response;

/**
 * What a relying party reads before it sends anyone to us: the discovery document (checked by
 * Nimbus and against a reviewed snapshot) and the public signing keys.
 */
@MicronautTest(transactional = false)
class ProviderMetadataTest {
  static final String SNAPSHOT = "snapshots/openid-configuration.json";

  @Inject EmbeddedServer server;

  Portal portal;

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
  }

  @Nested
  class Discovery {
    Response response;

    @BeforeEach
    void fetched() {
      response = portal.get("/.well-known/openid-configuration", null);
    }

    @Test
    void isOidcProviderMetadataThatNimbusReads() throws Exception {
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).startsWith("application/json");

      OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(response.body());

      String base = portal.base();
      assertThat(metadata.getIssuer().getValue()).isEqualTo(base);
      assertThat(metadata.getAuthorizationEndpointURI()).hasToString(base + "/oauth2/authorize");
      assertThat(metadata.getTokenEndpointURI()).hasToString(base + "/oauth2/token");
      assertThat(metadata.getUserInfoEndpointURI()).hasToString(base + "/oauth2/userinfo");
      assertThat(metadata.getJWKSetURI()).hasToString(base + "/oauth2/jwks");
      assertThat(metadata.getResponseTypes()).containsExactly(ResponseType.CODE);
      assertThat(metadata.getSubjectTypes()).containsExactly(SubjectType.PUBLIC);
      assertThat(metadata.getIDTokenJWSAlgs()).contains(JWSAlgorithm.ES256);
      assertThat(metadata.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
      assertThat(metadata.getTokenEndpointAuthMethods())
          .contains(ClientAuthenticationMethod.NONE, ClientAuthenticationMethod.PRIVATE_KEY_JWT);
      assertThat(metadata.getGrantTypes())
          .contains(
              GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS);
      // RFC 7523 assertions: asymmetric algorithms only (NHS API platform), never none or HMAC.
      assertThat(metadata.getTokenEndpointJWSAlgs())
          .containsExactlyInAnyOrder(
              JWSAlgorithm.RS256, JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384);
      assertThat(metadata.getScopes().toStringList()).contains("openid", "profile", "email");
      assertThat(metadata.supportsAuthorizationResponseIssuerParam()).isTrue();
      assertThat(metadata.supportsRequestParam()).isFalse();
      assertThat(metadata.supportsRequestURIParam()).isFalse();
    }

    @Test
    void matchesTheReviewedSnapshot() throws Exception {
      // A change to what we advertise must be reviewed: update the snapshot file in the same
      // change, so the difference shows in the diff.
      String served = response.body().replace(portal.base(), "{issuer}");
      Map<String, Object> actual = JSONObjectUtils.parse(served);
      Map<String, Object> expected = JSONObjectUtils.parse(snapshot());

      List<String> differences = differences(expected, actual);

      assertThat(differences)
          .withFailMessage(
              "The discovery document differs from src/test/resources/%s:%n  %s%n"
                  + "If the change is intended, review it and update the snapshot to:%n%s",
              SNAPSHOT, String.join("\n  ", differences), served)
          .isEmpty();
    }

    @Test
    void mayBeCachedBriefly() {
      assertThat(response.header("cache-control")).contains("public").contains("max-age=");
    }

    @Test
    void namesEndpointsThatAnswer() throws Exception {
      OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(response.body());
      String base = portal.base();

      assertThat(portal.get(metadata.getJWKSetURI().getPath(), null).status()).isEqualTo(200);
      assertThat(portal.get(metadata.getAuthorizationEndpointURI().getPath(), null).status())
          .isEqualTo(400);
      assertThat(portal.get(metadata.getUserInfoEndpointURI().getPath(), null).status())
          .isEqualTo(401);
      assertThat(
              portal
                  .form(metadata.getTokenEndpointURI().getPath(), Map.of("grant_type", "x"))
                  .json())
          .containsEntry("error", "invalid_client");
      assertThat(metadata.getTokenEndpointURI().toString()).startsWith(base);
    }
  }

  @Nested
  class Jwks {
    Response response;

    @BeforeEach
    void fetched() {
      response = portal.get("/oauth2/jwks", null);
    }

    @Test
    void publishesPublicSigningKeysOnly() throws Exception {
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).startsWith("application/json");
      List<?> keys = (List<?>) response.json().get("keys");
      assertThat(keys).isNotEmpty();
      for (Object key : keys) {
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = (Map<String, Object>) key;
        // RFC 7518 section 6: the private members of EC, RSA and symmetric keys.
        assertThat(jwk)
            .doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "oth", "k")
            .containsEntry("use", "sig")
            .containsKey("kid");
        assertThat(jwk.get("kty")).isIn("EC", "RSA");
      }

      JWKSet set = JWKSet.parse(response.body());
      assertThat(set.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
      assertThat(set.getKeys()).extracting(JWK::getKeyID).doesNotHaveDuplicates();
    }

    @Test
    void mayBeCachedBriefly() {
      assertThat(response.header("cache-control")).contains("public").contains("max-age=");
    }
  }

  private static String snapshot() throws IOException {
    try (InputStream in =
        ProviderMetadataTest.class.getClassLoader().getResourceAsStream(SNAPSHOT)) {
      assertThat(in).as("the snapshot %s on the test class path", SNAPSHOT).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One line per top-level member added (+), removed (-) or changed (~). */
  static List<String> differences(Map<String, Object> expected, Map<String, Object> actual) {
    Set<String> names = new LinkedHashSet<>(expected.keySet());
    names.addAll(actual.keySet());
    List<String> lines = new ArrayList<>();
    for (String name : names) {
      if (!actual.containsKey(name)) {
        lines.add("- " + name + ": " + expected.get(name));
      } else if (!expected.containsKey(name)) {
        lines.add("+ " + name + ": " + actual.get(name));
      } else if (!Objects.equals(expected.get(name), actual.get(name))) {
        lines.add("~ " + name + ": " + expected.get(name) + " -> " + actual.get(name));
      }
    }
    return lines;
  }
}
