package uk.gov.residentportal.consent;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.TreeSet;

/**
 * Residents' consents to share records with NHS partners. Read on every partner request, never
 * cached: a withdrawal counts for the very next request, on every replica.
 */
@Singleton
public class ConsentService {
  private final ConsentRepository consents;

  ConsentService(ConsentRepository consents) {
    this.consents = consents;
  }

  /**
   * The record categories the account shares, for {@code purpose}, with the organisation {@code
   * ods}: the union of its consents in force for that organisation and for all NHS partners. Empty
   * when there is none.
   */
  @Transactional(readOnly = true)
  public Set<String> consentedCategories(String accountId, String ods, Purpose purpose) {
    Set<String> categories = new TreeSet<>();
    for (Consent consent : consents.findActiveFor(accountId, ods, purpose.name())) {
      categories.addAll(consent.categoryList());
    }
    return categories;
  }
}
