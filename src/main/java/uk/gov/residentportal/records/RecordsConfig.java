package uk.gov.residentportal.records;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.convert.format.ReadableBytes;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import uk.gov.residentportal.account.Assurance;

/**
 * {@code portal.records.*}, checked while the service starts ({@link Context}).
 *
 * @param categories the record categories back-office systems may use, each with the minimum
 *     assurance a resident needs to see its records (PORTAL_RECORD_CATEGORIES, {@code
 *     NAME:P1,...}); a record may ask for more than its category, never less
 * @param documentMaxSize the largest document a back-office system may upload
 *     (PORTAL_DOCUMENT_MAX_SIZE, 10MB)
 * @param linkCodeTtl how long a one-time linking code printed on a letter stays valid (30d)
 * @param linkFailuresPerHour failed linking attempts an account may make in an hour (5)
 */
@Context
@ConfigurationProperties("portal.records")
public record RecordsConfig(
    Map<String, Assurance> categories,
    @ReadableBytes int documentMaxSize,
    Duration linkCodeTtl,
    int linkFailuresPerHour) {

  private static final Pattern CATEGORY = Pattern.compile("^[A-Z][A-Z0-9_]{0,39}$");

  public RecordsConfig {
    if (categories == null || categories.isEmpty()) {
      throw new IllegalArgumentException(
          "portal.records.categories (PORTAL_RECORD_CATEGORIES) must name at least one category");
    }
    Map<String, Assurance> canonical = new TreeMap<>();
    categories.forEach(
        (name, minimum) -> {
          String upper = name.toUpperCase(Locale.ROOT).replace('-', '_');
          if (!CATEGORY.matcher(upper).matches() || minimum == null) {
            throw new IllegalArgumentException(
                "portal.records.categories (PORTAL_RECORD_CATEGORIES): '"
                    + name
                    + "' must be an upper-case name with a minimum assurance P0, P1 or P2");
          }
          canonical.put(upper, minimum);
        });
    categories = Map.copyOf(canonical);
    if (documentMaxSize < 1024) {
      throw new IllegalArgumentException(
          "portal.records.document-max-size (PORTAL_DOCUMENT_MAX_SIZE) must be at least 1KB");
    }
    if (linkCodeTtl == null
        || linkCodeTtl.compareTo(Duration.ofDays(1)) < 0
        || linkCodeTtl.compareTo(Duration.ofDays(90)) > 0) {
      throw new IllegalArgumentException("portal.records.link-code-ttl must be between 1d and 90d");
    }
    if (linkFailuresPerHour < 1) {
      throw new IllegalArgumentException(
          "portal.records.link-failures-per-hour must be at least 1");
    }
  }

  /** The categories an account at {@code assurance} may see. */
  public java.util.List<String> categoriesFor(Assurance assurance) {
    return categories.entrySet().stream()
        .filter(e -> assurance.meets(e.getValue()))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
