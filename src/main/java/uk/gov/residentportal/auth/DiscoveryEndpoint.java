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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.shared.PortalUrls;

/** OpenID Connect Discovery 1.0 section 4: what we support, where our endpoints are. */
@Controller("/.well-known/openid-configuration")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "OpenID Connect")
@SecurityRequirements
class DiscoveryEndpoint {
  private final PortalUrls urls;

  DiscoveryEndpoint(PortalUrls urls) {
    this.urls = urls;
  }

  @Get
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "OpenID Provider metadata")
  @ApiResponse(responseCode = "200", description = "The metadata")
  HttpResponse<Map<String, Object>> configuration() {
    String issuer = urls.issuer();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("issuer", issuer);
    metadata.put("authorization_endpoint", issuer + "/oauth2/authorize");
    metadata.put("token_endpoint", issuer + "/oauth2/token");
    metadata.put("userinfo_endpoint", issuer + "/oauth2/userinfo");
    metadata.put("jwks_uri", issuer + "/oauth2/jwks");
    metadata.put("revocation_endpoint", issuer + "/oauth2/revoke");
    // OIDC RP-Initiated Logout 1.0 section 2.1 and Back-Channel Logout 1.0 section 2.1.
    metadata.put("end_session_endpoint", issuer + "/oauth2/logout");
    metadata.put("backchannel_logout_supported", true);
    metadata.put("backchannel_logout_session_supported", true);
    metadata.put("revocation_endpoint_auth_methods_supported", List.of("none", "private_key_jwt"));
    metadata.put(
        "revocation_endpoint_auth_signing_alg_values_supported",
        List.of("RS512", "RS256", "ES256", "ES384"));
    metadata.put("scopes_supported", List.of("openid", "profile", "email", "account"));
    metadata.put("response_types_supported", List.of("code"));
    metadata.put("response_modes_supported", List.of("query"));
    metadata.put(
        "grant_types_supported",
        List.of("authorization_code", "refresh_token", "client_credentials"));
    metadata.put("subject_types_supported", List.of("public"));
    metadata.put("id_token_signing_alg_values_supported", List.of("ES256", "RS256"));
    metadata.put("token_endpoint_auth_methods_supported", List.of("none", "private_key_jwt"));
    metadata.put(
        "token_endpoint_auth_signing_alg_values_supported",
        List.of("RS512", "RS256", "ES256", "ES384"));
    metadata.put("code_challenge_methods_supported", List.of("S256"));
    metadata.put("acr_values_supported", AuthenticationStrength.supported());
    metadata.put(
        "claims_supported",
        List.of(
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "acr",
            "amr",
            "azp",
            "sid",
            "email",
            "email_verified",
            "given_name",
            "family_name"));
    metadata.put("claims_parameter_supported", false);
    metadata.put("request_parameter_supported", false);
    metadata.put("request_uri_parameter_supported", false);
    metadata.put("authorization_response_iss_parameter_supported", true);
    return HttpResponse.ok(metadata).header(HttpHeaders.CACHE_CONTROL, "public, max-age=300");
  }
}
