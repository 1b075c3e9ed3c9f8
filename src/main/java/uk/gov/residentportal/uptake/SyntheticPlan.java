package uk.gov.residentportal.uptake;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import uk.gov.residentportal.shared.Postcodes;

/**
 * The synthetic accounts of {@code --generate-accounts}, the same for the same options and seed.
 * Sign-ups are spread over [from, to] (UTC days, inclusive; never after {@code now}) on a growth
 * curve: three times as many sign-ups a day at the end as at the start. Each account's postcode is
 * drawn from the loaded postcode→area table (none loaded: no postcode); a share of the accounts is
 * verified soon after signing up, and a share of the verified ones is linked to a council record,
 * last signed in, or erased later on. Accounts are made one at a time ({@link #account(int)}), so a
 * million need no more memory than their sign-up times.
 */
public final class SyntheticPlan {
  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  // Letters a postcode's inward code may end with.
  private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

  /**
   * What to generate.
   *
   * @param verifiedShare of all accounts, verified (ACTIVE); the rest are PENDING_VERIFICATION
   * @param linkedShare of the verified accounts, linked to a council record (P1)
   * @param erasedShare of the verified accounts, erased before {@code to}
   * @param activeShare of the verified accounts, signed in at least once
   */
  public record Options(
      LocalDate from,
      LocalDate to,
      int count,
      long seed,
      double verifiedShare,
      double linkedShare,
      double erasedShare,
      double activeShare) {}

  private final Options options;
  private final long[] signUps;
  private final long end;
  private final List<String> keys;
  private final Map<String, String> areas;

  /**
   * @param postcodeAreas the loaded postcode→area table (full postcodes, sectors, districts)
   * @param now no time after it is generated
   */
  public SyntheticPlan(Options options, Map<String, String> postcodeAreas, Instant now) {
    this.options = options;
    this.areas = new TreeMap<>(postcodeAreas);
    this.keys = new ArrayList<>(areas.keySet());
    long start = options.from().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long afterTo = options.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    this.end = Math.max(start + 1, Math.min(afterTo, now.toEpochMilli() + 1));
    SplittableRandom random = new SplittableRandom(options.seed());
    double span = end - start;
    signUps = new long[options.count()];
    for (int i = 0; i < signUps.length; i++) {
      // Inverse of the growth curve's distribution: density 1 + 2t on [0, 1), t the share of span.
      double t = (Math.sqrt(1 + 8 * random.nextDouble()) - 1) / 2;
      signUps[i] = Math.min(end - 1, start + (long) (t * span));
    }
    Arrays.sort(signUps);
  }

  public int count() {
    return signUps.length;
  }

  /** Account {@code number} (1 to {@link #count()}), in sign-up order. */
  public SyntheticAccount account(int number) {
    SplittableRandom random = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + number);
    long signedUp = signUps[number - 1];
    // A version 4 UUID whose first 48 bits are the number: rows go in in key order.
    UUID id =
        new UUID(
            ((long) number << 16) | 0x4000L | (random.nextLong() & 0x0FFFL),
            (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    String postcode =
        keys.isEmpty() ? null : postcode(keys.get(random.nextInt(keys.size())), random);
    String area = areaOf(postcode);
    Long verified = null;
    Long linked = null;
    Long erased = null;
    Long signedIn = null;
    if (random.nextDouble() < options.verifiedShare()) {
      verified = later(signedUp, 90 * MINUTE, random);
      boolean link = random.nextDouble() < options.linkedShare();
      boolean erase = random.nextDouble() < options.erasedShare();
      boolean active = random.nextDouble() < options.activeShare();
      if (link) {
        linked = later(verified, 30 * DAY, random);
      }
      if (erase) {
        erased = later(linked == null ? verified : linked, 365 * DAY, random);
      }
      if (active) {
        // Mostly recent: the last sign-in, some weeks before the end (or the erasure).
        long until = erased == null ? end - 1 : erased;
        long before = (long) (-Math.log(1 - random.nextDouble()) * 60 * DAY);
        signedIn = Math.max(verified, until - before);
      }
    }
    return new SyntheticAccount(
        id.toString(),
        number,
        Instant.ofEpochMilli(signedUp),
        postcode,
        area,
        instant(verified),
        instant(linked),
        instant(erased),
        instant(signedIn));
  }

  /** A time after {@code at} (exponentially distributed, this mean), never after the end. */
  private long later(long at, long mean, SplittableRandom random) {
    long delay = (long) (-Math.log(1 - random.nextDouble()) * mean);
    return Math.min(end - 1, at + delay);
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  /** A valid postcode the key covers: the key itself, or a sector or district completed. */
  private static String postcode(String key, SplittableRandom random) {
    String candidate;
    int space = key.indexOf(' ');
    if (space < 0) {
      candidate = key + " " + random.nextInt(10) + letter(random) + letter(random);
    } else if (key.length() - space - 1 == 1) {
      candidate = key + letter(random) + letter(random);
    } else {
      candidate = key;
    }
    return Postcodes.normalise(candidate);
  }

  private static char letter(SplittableRandom random) {
    return INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()));
  }

  /**
   * As {@link UptakeLedger#areaOf}: the longest key that is the postcode, its sector or district.
   */
  String areaOf(String postcode) {
    if (postcode == null) {
      return UptakeDelta.NO_AREA;
    }
    String sector = postcode.substring(0, postcode.indexOf(' ') + 2);
    String district = postcode.substring(0, postcode.indexOf(' '));
    for (String key : new String[] {postcode, sector, district}) {
      String area = areas.get(key);
      if (area != null) {
        return area;
      }
    }
    return UptakeDelta.NO_AREA;
  }
}
