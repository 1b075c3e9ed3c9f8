package uk.gov.residentportal.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * Access tokens of the test machine clients (back-office systems, NHS partners), fetched the real
 * way: client_credentials with a fresh private_key_jwt assertion signed by the client's key under
 * {@code src/test/resources/client-keys/}.
 */
public final class MachineTokens {
  /** COUNCIL_TAX, records:write links:write. */
  public static final String COUNCIL_TAX_SYSTEM = "records-push";

  /** PARKING, records:write links:write transactions:write. */
  public static final String PARKING_SYSTEM = "parking-push";

  /** COUNCIL_TAX, records:write only. */
  public static final String RECORDS_ONLY_SYSTEM = "records-only";

  /** NHS partner RX1, partner:resident.read. */
  public static final String PARTNER = "partner-rx1";

  private MachineTokens() {}

  /** A fresh access token of {@code clientId}, with all its registered scopes. */
  public static String tokenFor(Portal portal, String clientId) {
    Portal.Response response =
        portal.form(
            "/oauth2/token",
            Map.of(
                "grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(clientId, portal.base() + "/oauth2/token")));
    if (response.status() != 200) {
      throw new AssertionError("no token for " + clientId + ": " + response.body());
    }
    return (String) response.json().get("access_token");
  }

  public static String assertion(String clientId, String audience) {
    JWK key = privateKey(clientId);
    JWSAlgorithm alg = key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(clientId)
            .subject(clientId)
            .audience(audience)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(4))))
            .build();
    try {
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, alg));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static JWK privateKey(String clientId) {
    String path = "client-keys/" + clientId + ".private.jwk.json";
    try (InputStream in = MachineTokens.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no test key " + path);
      }
      return JWK.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
