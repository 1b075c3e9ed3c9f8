package uk.gov.residentportal.partner;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The partnership's NHS organisations. Whether one is active is read on every partner request (no
 * cache): deactivating an organisation stops its clients at once, on every replica.
 */
@Singleton
public class Organisations {
  private final OrganisationRepository organisations;

  Organisations(OrganisationRepository organisations) {
    this.organisations = organisations;
  }

  /** Whether {@code odsCode} is a registered, active organisation. */
  @Transactional(readOnly = true)
  public boolean isActive(String odsCode) {
    return odsCode != null
        && organisations.findById(odsCode).filter(Organisation::active).isPresent();
  }

  /** The registered name of each of {@code odsCodes} that is known (active or not). */
  @Transactional(readOnly = true)
  public Map<String, String> names(Collection<String> odsCodes) {
    Map<String, String> names = new HashMap<>();
    for (String ods : odsCodes) {
      if (ods != null && !names.containsKey(ods)) {
        organisations.findById(ods).ifPresent(o -> names.put(ods, o.name()));
      }
    }
    return names;
  }

  Optional<Organisation> find(String odsCode) {
    return organisations.findById(odsCode);
  }
}
