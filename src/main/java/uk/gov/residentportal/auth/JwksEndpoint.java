package uk.gov.residentportal.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.Map;

/**
 * The public signing keys (RFC 7517), for anyone verifying our tokens: the NEXT, ACTIVE and
 * still-published RETIRED keys of the ring (ADR 0004).
 */
@Controller("/oauth2/jwks")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "OpenID Connect")
@SecurityRequirements
class JwksEndpoint {
  /**
   * How long relying parties may cache the key set: short enough that a key rotated in is seen long
   * before it signs (a NEXT key is published a whole rotation period ahead), long enough to spare
   * us the traffic.
   */
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private final SigningKeys keys;

  JwksEndpoint(SigningKeys keys) {
    this.keys = keys;
  }

  @Get
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "JSON Web Key Set: public keys only")
  @ApiResponse(responseCode = "200", description = "The key set")
  HttpResponse<Map<String, Object>> jwks() {
    return HttpResponse.ok(keys.publicJwks().toJSONObject(true))
        .header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + MAX_AGE.toSeconds());
  }
}
