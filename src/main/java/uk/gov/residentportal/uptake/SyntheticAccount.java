package uk.gov.residentportal.uptake;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * One synthetic account of {@code --generate-accounts}: its life as the live service would have
 * seen it. Written to {@code accounts} by the account feature and counted here by {@link
 * SyntheticUptake}. Only a verified account is ever linked, signs in or is erased.
 *
 * @param number 1 for the earliest sign-up, then in sign-up order
 * @param postcode null when no postcode→area table is loaded
 * @param area the area of the postcode ({@code ""}: none)
 * @param lastSignInAt the account's last sign-in (the only one the generator makes)
 */
public record SyntheticAccount(
    String id,
    int number,
    Instant signedUpAt,
    @Nullable String postcode,
    String area,
    @Nullable Instant verifiedAt,
    @Nullable Instant linkedAt,
    @Nullable Instant erasedAt,
    @Nullable Instant lastSignInAt) {

  /** When it last changed (the row's updated_at). */
  public Instant updatedAt() {
    Instant latest = signedUpAt;
    for (Instant at : new Instant[] {verifiedAt, linkedAt, erasedAt}) {
      if (at != null && at.isAfter(latest)) {
        latest = at;
      }
    }
    return latest;
  }
}
