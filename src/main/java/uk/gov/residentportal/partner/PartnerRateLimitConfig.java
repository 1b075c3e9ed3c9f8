package uk.gov.residentportal.partner;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;

/**
 * {@code portal.partner.rate-limit.*}, checked while the service starts ({@link Context}): the
 * partner API's default limit per client, a token bucket that refills {@code perSecond} tokens a
 * second up to {@code burst}. A client's own limit (clients.rate_limit_per_second / _burst) takes
 * the place of either value.
 *
 * @param perSecond sustained requests per second (PORTAL_PARTNER_RATE_PER_SECOND, 5)
 * @param burst requests a client may make at once after a quiet spell (PORTAL_PARTNER_RATE_BURST,
 *     10); at least {@code perSecond}
 */
@Context
@ConfigurationProperties("portal.partner.rate-limit")
public record PartnerRateLimitConfig(int perSecond, int burst) {
  static final int MAX = 100_000;

  public PartnerRateLimitConfig {
    if (perSecond < 1 || perSecond > MAX) {
      throw new IllegalArgumentException(
          "portal.partner.rate-limit.per-second (PORTAL_PARTNER_RATE_PER_SECOND) must be between 1"
              + " and "
              + MAX);
    }
    if (burst < perSecond || burst > MAX) {
      throw new IllegalArgumentException(
          "portal.partner.rate-limit.burst (PORTAL_PARTNER_RATE_BURST) must be between"
              + " per-second ("
              + perSecond
              + ") and "
              + MAX);
    }
  }
}
