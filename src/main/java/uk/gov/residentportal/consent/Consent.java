package uk.gov.residentportal.consent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A row of {@code consents}: a resident's consent to share record categories with one organisation
 * (its ODS code) or with every NHS partner ({@link #ALL_NHS}). Withdrawal sets {@code withdrawnAt};
 * rows are never deleted while the account lives, so the history stays.
 */
@MappedEntity("consents")
record Consent(
    @Id String id,
    String accountId,
    String organisation,
    String categories,
    String purpose,
    Instant grantedAt,
    String grantedBy,
    @Nullable Instant withdrawnAt,
    @Nullable String withdrawnBy) {

  /** The organisation value meaning every NHS partner of the partnership. */
  static final String ALL_NHS = "ALL_NHS";

  List<String> categoryList() {
    return categories.isBlank() ? List.of() : Arrays.asList(categories.split(" "));
  }

  boolean active() {
    return withdrawnAt == null;
  }
}
