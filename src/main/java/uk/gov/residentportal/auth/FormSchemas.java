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
      @Schema(
              description =
                  "The security code (second step, sent instead of email and password when the"
                      + " account has an authenticator app): its current code or a recovery code")
          String code,
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
      requiredProperties = {"grant_type"})
  record TokenForm(
      @Schema(allowableValues = {"authorization_code", "refresh_token", "client_credentials"})
          String grant_type,
      @Schema(description = "Required for public clients; optional with a client assertion")
          String client_id,
      @Schema(
              description = "private_key_jwt (RFC 7523 section 2.2)",
              allowableValues = {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"})
          String client_assertion_type,
      @Schema(
              description =
                  "private_key_jwt: a JWT signed with a registered key (RS256, RS512, ES256,"
                      + " ES384), kid, iss = sub = client_id, aud the token endpoint URL, exp at"
                      + " most 5 minutes ahead, a jti never used before")
          String client_assertion,
      @Schema(description = "authorization_code") String code,
      @Schema(description = "authorization_code") String redirect_uri,
      @Schema(description = "authorization_code, RFC 7636") String code_verifier,
      @Schema(description = "refresh_token") String refresh_token,
      @Schema(
              description =
                  "refresh_token: a narrower scope; client_credentials: some of the registered"
                      + " scopes (default all)")
          String scope) {}
}
