package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import uk.gov.residentportal.shared.DeadlockRetry;

/**
 * Token revocation (RFC 7009): a client ends a refresh token (and with it the whole grant, access
 * tokens included) or a single access token. Answers 200 for unknown tokens too (section 2.2), so
 * the endpoint tells nobody which tokens exist.
 */
@Controller("/oauth2/revoke")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "OpenID Connect")
@SecurityRequirements
class RevocationEndpoint {
  private final ClientAuthentication clients;
  private final TokenRevoker revoker;

  RevocationEndpoint(ClientAuthentication clients, TokenRevoker revoker) {
    this.clients = clients;
    this.revoker = revoker;
  }

  @Post
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(
      summary = "Revoke a refresh or access token (RFC 7009)",
      description =
          "token, token_type_hint?, and client_id (public clients) or a private_key_jwt"
              + " client_assertion (other clients). A refresh token ends its whole grant, access tokens"
              + " included; an access token ends at once on every replica.")
  @ApiResponse(responseCode = "200", description = "Revoked, or not a token we know")
  @ApiResponse(responseCode = "400", description = "invalid_request, unauthorized_client")
  @ApiResponse(responseCode = "401", description = "invalid_client")
  HttpResponse<?> revoke(HttpRequest<?> request, @Body String body) {
    TokenRequestParams params = TokenRequestParams.parse(body);
    Client client = clients.authenticate(request, params);
    String token = params.required("token");
    DeadlockRetry.run(
        () -> {
          revoker.revoke(token, client);
          return null;
        });
    return HttpResponse.ok().header(HttpHeaders.CACHE_CONTROL, "no-store");
  }

  @Error(exception = OAuthException.class)
  MutableHttpResponse<Map<String, Object>> oauthError(OAuthException e) {
    return TokenEndpoint.errorResponse(e.error());
  }

  static final OAuthException NOT_YOURS =
      new OAuthException(
          OAuth2Error.UNAUTHORIZED_CLIENT, "The token was not issued to this client");
}
