package uk.gov.residentportal.auth;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Descriptions of the form bodies of the authorization and token endpoints, for the OpenAPI
 * document only: the endpoints read the raw form themselves (so bad encoding is a 400 and repeated
 * parameters are seen).
 */
final class FormSchemas {
  private FormSchemas() {}

  @Schema(
      name = "SignInForm",
      requiredProperties = {"email", "password", "csrf_token"})
  record SignInForm(
      @Schema(description = "Email address") String email,
      @Schema(description = "Password") String password,
      @Schema(description = "The CSRF token from the page (and its cookie)") String csrf_token,
      @Schema(description = "The authorization request, carried as hidden fields") String client_id,
      String redirect_uri,
      String response_type,
      String scope,
      String state,
      String nonce,
      String code_challenge,
      String code_challenge_method) {}

  @Schema(
      name = "TokenRequest",
      requiredProperties = {"grant_type", "client_id"})
  record TokenForm(
      @Schema(allowableValues = {"authorization_code", "refresh_token"}) String grant_type,
      String client_id,
      @Schema(description = "authorization_code") String code,
      @Schema(description = "authorization_code") String redirect_uri,
      @Schema(description = "authorization_code, RFC 7636") String code_verifier,
      @Schema(description = "refresh_token") String refresh_token,
      @Schema(description = "refresh_token: a narrower scope") String scope) {}
}
