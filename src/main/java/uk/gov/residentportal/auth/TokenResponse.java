package uk.gov.residentportal.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** RFC 6749 section 5.1 and OIDC Core section 3.1.3.3 token response. */
@Serdeable
@Schema(name = "TokenResponse")
record TokenResponse(
    @JsonProperty("access_token") String accessToken,
    @JsonProperty("token_type") String tokenType,
    @JsonProperty("expires_in") long expiresIn,
    @Nullable @JsonProperty("refresh_token") String refreshToken,
    @Nullable @JsonProperty("id_token") String idToken,
    @JsonProperty("scope") String scope) {
  @Override
  public String toString() {
    return "TokenResponse[***]";
  }
}
