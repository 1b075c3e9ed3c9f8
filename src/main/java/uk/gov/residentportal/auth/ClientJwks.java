package uk.gov.residentportal.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import uk.gov.residentportal.web.ProblemException;

/**
 * The public keys a confidential, back-office or partner client signs its assertions with (RFC
 * 7523), registered inline. A {@code jwks_uri} is never accepted: the service makes no outbound
 * call on a client's say-so, so a registration cannot turn it into a request forger.
 */
final class ClientJwks {
  static final int MAX_KEYS = 10;
  private static final int MIN_RSA_BITS = 2048;
  private static final Set<Curve> CURVES = Set.of(Curve.P_256, Curve.P_384);

  private ClientJwks() {}

  /** Checks a registration's {@code jwks} and returns it as the JSON to store (public parts). */
  static String validated(Map<String, Object> jwks) {
    if (jwks.containsKey("jwks_uri")) {
      throw invalid("must hold the keys inline; jwks_uri is not supported");
    }
    JWKSet set;
    try {
      set = JWKSet.parse(jwks);
    } catch (ParseException | RuntimeException e) {
      throw invalid("must be a JSON Web Key Set (RFC 7517 section 5) of public keys");
    }
    if (set.isEmpty()) {
      throw invalid("must hold at least one key");
    }
    if (set.size() > MAX_KEYS) {
      throw invalid("must hold at most " + MAX_KEYS + " keys");
    }
    Set<String> kids = new HashSet<>();
    for (JWK key : set.getKeys()) {
      String problem = problem(key);
      if (problem != null) {
        throw invalid(problem);
      }
      if (!kids.add(key.getKeyID())) {
        throw invalid("every key needs its own kid");
      }
    }
    return set.toString(true);
  }

  /** The stored set, as registered (public keys only). */
  static JWKSet parse(String stored) {
    try {
      return JWKSet.parse(stored);
    } catch (ParseException e) {
      throw new IllegalStateException("A stored client key set cannot be read", e);
    }
  }

  /** The stored set as a JSON object, for the administrators' view. */
  static Map<String, Object> view(String stored) {
    return parse(stored).toJSONObject(true);
  }

  static Optional<JWK> byKid(String stored, String kid) {
    return Optional.ofNullable(parse(stored).getKeyByKeyId(kid));
  }

  private static String problem(JWK key) {
    if (key.getKeyID() == null || key.getKeyID().isBlank()) {
      return "every key needs a kid";
    }
    if (key.isPrivate()) {
      // The private half belongs to the client alone; a set holding it was leaked on its way here.
      return "must hold public keys only";
    }
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      return "keys must be for signing (use sig)";
    }
    if (key instanceof RSAKey rsa) {
      return rsa.size() < MIN_RSA_BITS ? "RSA keys must have at least 2048 bits" : null;
    }
    if (key instanceof ECKey ec) {
      return CURVES.contains(ec.getCurve()) ? null : "EC keys must be on P-256 or P-384";
    }
    // oct (symmetric) keys would be shared secrets, and OKP keys are not on our algorithm list.
    return "keys must be RSA or EC";
  }

  private static ProblemException.InvalidField invalid(String message) {
    return new ProblemException.InvalidField("jwks", message);
  }
}
