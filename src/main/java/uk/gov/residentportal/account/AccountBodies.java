package uk.gov.residentportal.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Request and response bodies of the account API. */
final class AccountBodies {
  private AccountBodies() {}

  @Serdeable
  @Schema(name = "SignUp")
  record SignUp(
      @NotBlank(message = "is required")
          @Email(message = "must be an email address")
          @Size(max = 254, message = "must be at most {max} characters")
          String email,
      @NotBlank(message = "is required")
          @Size(max = 1024, message = "must be at most 128 characters")
          String password,
      @NotBlank(message = "is required")
          @Size(max = 100, message = "must be at most {max} characters")
          String givenName,
      @NotBlank(message = "is required")
          @Size(max = 100, message = "must be at most {max} characters")
          String familyName,
      @Nullable @Size(max = 10, message = "must be at most {max} characters") String postcode,
      @Nullable @Size(max = 10, message = "must be a date like 1980-12-31") String dateOfBirth) {
    @Override
    public String toString() {
      return "SignUp[***]";
    }
  }

  @Serdeable
  @Schema(name = "SignUpResult")
  record SignUpResult(String id, String email, AccountStatus status) {
    @Override
    public String toString() {
      return "SignUpResult[id=" + id + "]";
    }
  }

  @Serdeable
  @Schema(name = "EmailVerification")
  record EmailVerification(
      @NotBlank(message = "is required") @Size(max = 100, message = "is not valid") String token,
      @Nullable
          @Schema(
              description = "optional: the password chosen at sign-up; when given it must match")
          @Size(max = 1024, message = "must be at most 128 characters")
          String password) {
    @Override
    public String toString() {
      return "EmailVerification[***]";
    }
  }

  @Serdeable
  @Schema(name = "PasswordResetRequest")
  record PasswordResetRequest(
      @NotBlank(message = "is required")
          @Email(message = "must be an email address")
          @Size(max = 254, message = "must be at most {max} characters")
          String email) {
    @Override
    public String toString() {
      return "PasswordResetRequest[***]";
    }
  }

  @Serdeable
  @Schema(name = "PasswordResetConfirmation")
  record PasswordResetConfirmation(
      @NotBlank(message = "is required") @Size(max = 100, message = "is not valid") String token,
      @NotBlank(message = "is required")
          @Size(max = 1024, message = "must be at most 128 characters")
          String newPassword) {
    @Override
    public String toString() {
      return "PasswordResetConfirmation[***]";
    }
  }

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @Schema(name = "Profile", description = "The resident's own account; every field is present")
  record Profile(
      String id,
      String email,
      boolean emailVerified,
      String givenName,
      String familyName,
      @Nullable String postcode,
      @Nullable String dateOfBirth,
      @Nullable String nhsNumber,
      Assurance assurance,
      List<Role> roles) {
    @Override
    public String toString() {
      return "Profile[id=" + id + "]";
    }
  }

  /**
   * A partial update: a field left out (or null) stays as it is; an empty string clears an optional
   * field (postcode, dateOfBirth, nhsNumber).
   */
  @Serdeable
  @Schema(name = "ProfileUpdate")
  record ProfileUpdate(
      @Nullable @Size(min = 1, max = 100, message = "must be 1 to {max} characters")
          String givenName,
      @Nullable @Size(min = 1, max = 100, message = "must be 1 to {max} characters")
          String familyName,
      @Nullable @Size(max = 10, message = "must be at most {max} characters") String postcode,
      @Nullable @Size(max = 10, message = "must be a date like 1980-12-31") String dateOfBirth,
      @Nullable @Size(max = 12, message = "must be a 10-digit NHS number") String nhsNumber) {
    @Override
    public String toString() {
      return "ProfileUpdate[***]";
    }
  }

  @Serdeable
  @Schema(name = "RoleGrant")
  record RoleGrant(@NotNull(message = "is required") List<Role> roles) {}

  @Serdeable
  @Schema(name = "AccountRoles")
  record AccountRoles(String id, List<Role> roles) {}

  @Serdeable
  @Schema(name = "Erasure")
  record Erasure(
      @NotBlank(message = "is required")
          @Size(max = 1024, message = "must be at most 128 characters")
          String password) {
    @Override
    public String toString() {
      return "Erasure[***]";
    }
  }
}
