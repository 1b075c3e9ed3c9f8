package uk.gov.residentportal.catalogue;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of the services catalogue. */
final class CatalogueBodies {
  private CatalogueBodies() {}

  /** A service as registered: the body of POST and of PUT (which replaces every field). */
  @Serdeable
  @Schema(name = "CouncilServiceRegistration")
  record Registration(
      @NotBlank(message = "is required")
          @Size(max = 200, message = "must be at most {max} characters")
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
          String name,
      @NotBlank(message = "is required")
          @Size(max = 200, message = "must be at most {max} characters")
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
          String department,
      @NotNull(message = "is required") Boolean online,
      @Nullable @Schema(description = "The registered client the service signs residents in with")
          String clientId) {}

  /** A catalogue entry; {@code ssoEnabled} says whether its client uses our sign-in now. */
  @Serdeable
  @Schema(name = "CouncilService")
  record View(
      String id,
      String name,
      String department,
      boolean online,
      @Nullable String clientId,
      boolean ssoEnabled,
      Instant createdAt,
      Instant updatedAt) {}

  /** A page of the catalogue in name order; {@code nextCursor} is absent on the last page. */
  @Serdeable
  @Schema(name = "CouncilServicePage")
  record Page(List<View> items, @Nullable String nextCursor) {}

  /** SSO coverage: online services whose client uses our sign-in, of all online services. */
  @Serdeable
  @Schema(name = "SsoCoverage")
  record Coverage(
      @Schema(description = "Online services in the catalogue") int services,
      @Schema(description = "Of those, services whose client signs residents in through us")
          int ssoEnabled,
      @Schema(description = "ssoEnabled ÷ services × 100, one decimal; 0 when none is online")
          double percent,
      List<DepartmentCoverage> byDepartment) {}

  @Serdeable
  @Schema(name = "DepartmentSsoCoverage")
  record DepartmentCoverage(String department, int services, int ssoEnabled, double percent) {}
}
