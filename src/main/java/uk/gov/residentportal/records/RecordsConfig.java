package uk.gov.residentportal.records;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * @param linkFailuresPerHour failed linking attempts an account may make in an hour (5), a sliding
 *     window
 * @param referenceFailuresPerDay failed reference + postcode attempts on one council tax account
 *     reference, from all accounts together, in 24 hours (10), a sliding window; over it, linking
 *     by that reference answers as wrong details (one-time codes still work)
 * @param subjectAuthorities per subject type, the source systems that are its authority: only they
 *     may set a subject's {@code subjectPostcode} (what linking by reference and postcode matches)
 *     and issue one-time linking codes for it. A type not listed has no authority: any system
 *     holding a record about a subject may do both. Default {@code COUNCIL_TAX_ACCOUNT:
 *     [COUNCIL_TAX]}
 */
@Context
@ConfigurationProperties("portal.records")
public record RecordsConfig(
    Map<String, Assurance> categories,
    @ReadableBytes int documentMaxSize,
    Duration linkCodeTtl,
    int linkFailuresPerHour,
    int referenceFailuresPerDay,
    @Nullable Map<String, List<String>> subjectAuthorities) {

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
    if (referenceFailuresPerDay < 1) {
      throw new IllegalArgumentException(
          "portal.records.reference-failures-per-day must be at least 1");
    }
    subjectAuthorities = authorities(subjectAuthorities);
  }

  /**
   * The systems that are the authority for subjects of {@code type}; empty when the type has none
   * listed (then any system holding a record about the subject is trusted with it).
   */
  public Optional<List<String>> authoritiesFor(SubjectType type) {
    return Optional.ofNullable(subjectAuthorities.get(type.name()));
  }

  /**
   * Whether {@code system} may vouch for subjects of {@code type} (set their postcode, issue codes
   * for them) without more: it is one of the type's authorities, or the type has none.
   */
  public boolean isAuthority(SubjectType type, String system) {
    return authoritiesFor(type).map(systems -> systems.contains(system)).orElse(true);
  }

  private static Map<String, List<String>> authorities(
      @Nullable Map<String, List<String>> configured) {
    if (configured == null) {
      return Map.of();
    }
    Map<String, List<String>> canonical = new TreeMap<>();
    configured.forEach(
        (name, systems) -> {
          String type = name.toUpperCase(Locale.ROOT).replace('-', '_');
          if (Arrays.stream(SubjectType.values()).noneMatch(t -> t.name().equals(type))) {
            throw new IllegalArgumentException(
                "portal.records.subject-authorities: '"
                    + name
                    + "' is not a subject type; use "
                    + Arrays.stream(SubjectType.values())
                        .map(Enum::name)
                        .collect(Collectors.joining(", ")));
          }
          if (systems == null || systems.isEmpty()) {
            throw new IllegalArgumentException(
                "portal.records.subject-authorities."
                    + type
                    + " must list at least one source system (leave the type out to let any"
                    + " system holding a record about a subject vouch for it)");
          }
          List<String> names = new ArrayList<>();
          for (String system : systems) {
            String trimmed = system == null ? "" : system.strip();
            if (!RecordIngestion.SOURCE_SYSTEM.matcher(trimmed).matches()) {
              throw new IllegalArgumentException(
                  "portal.records.subject-authorities."
                      + type
                      + ": '"
                      + system
                      + "' must be an upper-case source system name, as registered for its"
                      + " client");
            }
            names.add(trimmed);
          }
          if (canonical.putIfAbsent(type, List.copyOf(names)) != null) {
            throw new IllegalArgumentException(
                "portal.records.subject-authorities names " + type + " twice");
          }
        });
    return Map.copyOf(canonical);
  }

  /** The categories an account at {@code assurance} may see. */
  public List<String> categoriesFor(Assurance assurance) {
    return categories.entrySet().stream()
        .filter(e -> assurance.meets(e.getValue()))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
