package uk.gov.residentportal.partner;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The partnership's NHS organisations. Whether one is active is read on every partner request (no
 * cache): deactivating an organisation stops its clients at once, on every replica.
 *
 * <p>ODS codes are compared exactly: upper-case letters and digits, as the NHS Organisation Data
 * Service publishes them. The database's collation may ignore case, so a code of another shape is
 * never looked up at all ({@code rx1} is not RX1).
 */
@Singleton
public class Organisations {
  // NHS Organisation Data Service codes: trusts RX1, their sites RX1RA, GP practices A12345,
  // ICBs QK1. Upper-case only: the code is an identifier, never normalised.
  private static final Pattern ODS_CODE = Pattern.compile("[A-Z0-9]{3,10}");

  private final OrganisationRepository organisations;

  Organisations(OrganisationRepository organisations) {
    this.organisations = organisations;
  }

  /** Whether {@code odsCode} has the shape of an ODS code: 3 to 10 upper-case letters or digits. */
  public static boolean isOdsCode(String odsCode) {
    return odsCode != null && ODS_CODE.matcher(odsCode).matches();
  }

  /** Whether {@code odsCode} is a registered, active organisation. */
  @Transactional(readOnly = true)
  public boolean isActive(String odsCode) {
    return find(odsCode).filter(Organisation::active).isPresent();
  }

  /**
   * Whether {@code odsCode} is an NHS body (trust, GP practice or ICB), which a resident's consent
   * for "all NHS partners" covers; other care providers need a consent naming them.
   */
  @Transactional(readOnly = true)
  public boolean isNhs(String odsCode) {
    return find(odsCode).map(o -> o.type() != OrganisationType.OTHER_CARE_PROVIDER).orElse(false);
  }

  /** Whether {@code odsCode} is a registered organisation, active or not. */
  @Transactional(readOnly = true)
  public boolean isRegistered(String odsCode) {
    return find(odsCode).isPresent();
  }

  /** The registered name of each of {@code odsCodes} that is known (active or not). */
  @Transactional(readOnly = true)
  public Map<String, String> names(Collection<String> odsCodes) {
    Map<String, String> names = new HashMap<>();
    for (String ods : odsCodes) {
      if (ods != null && !names.containsKey(ods)) {
        find(ods).ifPresent(o -> names.put(ods, o.name()));
      }
    }
    return names;
  }

  Optional<Organisation> find(String odsCode) {
    if (!isOdsCode(odsCode)) {
      return Optional.empty();
    }
    return organisations.findById(odsCode).filter(o -> o.odsCode().equals(odsCode));
  }
}
