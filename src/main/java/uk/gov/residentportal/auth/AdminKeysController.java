package uk.gov.residentportal.auth;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import uk.gov.residentportal.audit.Actor;
import uk.gov.residentportal.web.Problem;

/** The token-signing key ring, for administrators (role ADMIN). */
@Controller("/api/v1/admin/keys")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Administration")
@SecurityRequirement(name = "bearer")
@ApiResponse(
    responseCode = "401",
    description = "No valid access token",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
@ApiResponse(
    responseCode = "403",
    description = "Not an administrator",
    content =
        @Content(
            mediaType = Problem.CONTENT_TYPE,
            schema = @Schema(implementation = Problem.class)))
class AdminKeysController {
  private final KeyRing ring;
  private final KeyRotation rotation;

  AdminKeysController(KeyRing ring, KeyRotation rotation) {
    this.ring = ring;
    this.rotation = rotation;
  }

  @Get
  @Operation(
      operationId = "listSigningKeys",
      summary = "The signing keys",
      description = "NEXT, ACTIVE and still-published RETIRED keys; public metadata only.")
  @ApiResponse(responseCode = "200", description = "The key ring")
  SigningKeyView.Ring list() {
    return new SigningKeyView.Ring(ring.view());
  }

  @Post("/rotate")
  @Operation(
      operationId = "rotateSigningKeys",
      summary = "Rotate the signing keys now",
      description =
          "The NEXT key starts signing, a new NEXT key is made, and the ACTIVE key is retired but"
              + " stays in the JWKS until every token it signed has expired.")
  @ApiResponse(responseCode = "200", description = "Rotated")
  @ApiResponse(
      responseCode = "409",
      description = "No NEXT key to activate and key generation is off",
      content =
          @Content(
              mediaType = Problem.CONTENT_TYPE,
              schema = @Schema(implementation = Problem.class)))
  KeyRotationResult rotate(Authentication admin) {
    return rotation.rotateNow(Actor.account(admin.getName()));
  }
}
