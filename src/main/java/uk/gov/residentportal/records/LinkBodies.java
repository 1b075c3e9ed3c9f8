package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of account linking and of one-time linking codes. */
final class LinkBodies {
  private LinkBodies() {}

  /**
   * A resident's proof that council records are theirs: either a council tax account reference with
   * the property's postcode, or a one-time code from a letter. Which shape was sent, and whether
   * its fields are well-formed, is checked by {@link Linking}, so that the missing or bad field is
   * named.
   */
  @Serdeable
  @Schema(
      name = "LinkRequest",
      description =
          "Either {type: COUNCIL_TAX, reference, postcode} or {code}: a council tax account"
              + " reference with its postcode, or a one-time linking code from a letter")
  record LinkRequest(
      @Schema(description = "With reference and postcode", allowableValues = "COUNCIL_TAX")
          @Nullable
          @Size(max = 40, message = "must be COUNCIL_TAX")
          String type,
      @Schema(description = "The council tax account reference, as on a bill")
          @Nullable
          @Size(max = 64, message = "must be at most {max} characters")
          String reference,
      @Schema(description = "The postcode of the property the account is for")
          @Nullable
          @Size(max = 16, message = "must be a UK postcode")
          String postcode,
      @Schema(
              description =
                  "A one-time linking code from a letter, e.g. ABCD-EFGH-JKMN-PQRS (case, spaces"
                      + " and hyphens do not matter)")
          @Nullable
          @Size(max = 64, message = "must be the code from the letter")
          String code) {

    @Override
    public String toString() {
      return "LinkRequest[***]";
    }
  }

  /** A link as the resident sees it; the subject's full reference is not repeated. */
  @Serdeable
  @Schema(name = "Link")
  record Link(
      @Schema(description = "The link's id, for removing it") String id,
      @Schema(allowableValues = {"COUNCIL_TAX_ACCOUNT", "PROPERTY", "PERSON", "NHS_NUMBER"})
          String subjectType,
      @Schema(
              description = "How the resident proved the link",
              allowableValues = {"REFERENCE_AND_POSTCODE", "ONE_TIME_CODE"})
          String method,
      Instant linkedAt,
      @Schema(description = "For people, e.g. \"Council tax account ending 1234\"") String label) {}

  /** The list's body. */
  @Serdeable
  @Schema(name = "Links")
  record Links(List<Link> links) {}

  /** A back-office system asks for a one-time linking code for one of its subjects. */
  @Serdeable
  @Schema(name = "LinkCodeRequest")
  record LinkCodeRequest(
      @Schema(
              description = "What the code links to",
              allowableValues = {"COUNCIL_TAX_ACCOUNT", "PROPERTY", "PERSON", "NHS_NUMBER"})
          @Nullable
          @Size(max = 40, message = "must be a subject type")
          String subjectType,
      @Schema(description = "The subject's reference, as in the system's records")
          @Nullable
          @Size(max = 64, message = "must be at most {max} characters")
          String subjectRef) {

    @Override
    public String toString() {
      return "LinkCodeRequest[subjectType=" + subjectType + "]";
    }
  }

  /** A new code, to print on a letter. It is shown only this once: only its hash is kept. */
  @Serdeable
  @Schema(name = "LinkCode")
  record LinkCodeIssued(
      @Schema(
              description =
                  "16 characters from ABCDEFGHJKMNPQRSTVWXYZ23456789 in groups of four,"
                      + " e.g. ABCD-EFGH-JKMN-PQRS; single use")
          String code,
      Instant expiresAt) {

    @Override
    public String toString() {
      return "LinkCodeIssued[expiresAt=" + expiresAt + "]";
    }
  }
}
