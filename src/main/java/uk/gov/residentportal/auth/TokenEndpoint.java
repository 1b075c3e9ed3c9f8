package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import uk.gov.residentportal.shared.DeadlockRetry;

/**
 * The token endpoint (RFC 6749 section 3.2). Dispatches to one class per grant type; errors are RFC
 * 6749 section 5.2 JSON with Nimbus's standard codes.
 */
@Controller("/oauth2/token")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "OpenID Connect")
@SecurityRequirements
class TokenEndpoint {
  private final ClientAuthentication clients;
  private final AuthorizationCodeGrant authorizationCode;
  private final RefreshTokenGrant refreshToken;
  private final ClientCredentialsGrant clientCredentials;

  TokenEndpoint(
      ClientAuthentication clients,
      AuthorizationCodeGrant authorizationCode,
      RefreshTokenGrant refreshToken,
      ClientCredentialsGrant clientCredentials) {
    this.clients = clients;
    this.authorizationCode = authorizationCode;
    this.refreshToken = refreshToken;
    this.clientCredentials = clientCredentials;
  }

  @Post
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Token request",
      description =
          "grant_type authorization_code (code, redirect_uri, code_verifier, client_id),"
              + " refresh_token (refresh_token, client_id, scope?) or client_credentials"
              + " (scope?). Public clients send client_id; every other client authenticates"
              + " with private_key_jwt (client_assertion_type"
              + " urn:ietf:params:oauth:client-assertion-type:jwt-bearer and client_assertion,"
              + " RFC 7523). Refresh tokens rotate on every use; a reused one revokes its"
              + " family.")
  @ApiResponse(
      responseCode = "200",
      description = "Tokens",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = TokenResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "RFC 6749 error (invalid_request, invalid_grant...); unauthorized_client for a"
              + " partner whose organisation is inactive or unregistered")
  @ApiResponse(responseCode = "401", description = "invalid_client")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              mediaType = MediaType.APPLICATION_FORM_URLENCODED,
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = FormSchemas.TokenForm.class)))
  HttpResponse<TokenResponse> token(HttpRequest<?> request, @Body String body) {
    TokenRequestParams params = TokenRequestParams.parse(body);
    Client client = clients.authenticate(request, params);
    String grantType = params.required("grant_type");
    TokenResponse tokens =
        switch (grantType) {
          case "authorization_code" ->
              DeadlockRetry.run(() -> authorizationCode.exchange(params, client));
          case "refresh_token" -> DeadlockRetry.run(() -> refreshToken.exchange(params, client));
          case "client_credentials" -> clientCredentials.exchange(params, client);
          default ->
              throw new OAuthException(
                  OAuth2Error.UNSUPPORTED_GRANT_TYPE, "This grant_type is not supported");
        };
    return HttpResponse.ok(tokens).header(HttpHeaders.CACHE_CONTROL, "no-store");
  }

  @Error(exception = OAuthException.class)
  MutableHttpResponse<Map<String, Object>> oauthError(OAuthException e) {
    return errorResponse(e.error());
  }

  @Error(exception = RefreshTokens.ReuseDetected.class)
  MutableHttpResponse<Map<String, Object>> reuse(RefreshTokens.ReuseDetected e) {
    return errorResponse(
        OAuth2Error.INVALID_GRANT.setDescription("The grant was already used and is now revoked"));
  }

  static MutableHttpResponse<Map<String, Object>> errorResponse(ErrorObject error) {
    HttpStatus status =
        OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())
            ? HttpStatus.UNAUTHORIZED
            : HttpStatus.BAD_REQUEST;
    MutableHttpResponse<Map<String, Object>> response =
        HttpResponse.<Map<String, Object>>status(status)
            .body(
                (Map<String, Object>)
                    new java.util.LinkedHashMap<String, Object>(error.toJSONObject()))
            .contentType(MediaType.APPLICATION_JSON_TYPE)
            .header(HttpHeaders.CACHE_CONTROL, "no-store");
    if (status == HttpStatus.UNAUTHORIZED) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"token\"");
    }
    return response;
  }
}
