package uk.gov.residentportal.partner;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.mysql.Bucket4jMySQL;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import uk.gov.residentportal.auth.ClientService;
import uk.gov.residentportal.web.ProblemException;

/**
 * The partner API's rate limit per client: a Bucket4j token bucket kept in the database table
 * {@code rate_limit_buckets} (V15), so every replica takes from the same bucket. Each check is one
 * short transaction of its own on a pool connection (Bucket4j's SELECT ... FOR UPDATE, then
 * UPDATE), taken before the request's audited read starts, never inside it.
 *
 * <p>The limit is the client's own (ClientService.rateLimitOf, read on every request) or {@link
 * PartnerRateLimitConfig}. The bucket's key names the limit, {@code
 * <clientId>|<perSecond>|<burst>}: a changed limit counts from the next request, in a bucket of its
 * own that starts full.
 */
@Singleton
class PartnerRateLimiter {
  private final ProxyManager<String> buckets;
  private final ClientService clients;
  private final PartnerRateLimitConfig defaults;

  PartnerRateLimiter(
      DataSource dataSource, ClientService clients, PartnerRateLimitConfig defaults) {
    // The pool itself, not Micronaut's transaction-aware wrapper: Bucket4j commits on its own
    // connection, whatever transaction the caller may be in.
    this.buckets =
        Bucket4jMySQL.selectForUpdateBasedBuilder(DelegatingDataSource.unwrapDataSource(dataSource))
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("rate_limit_buckets")
            .idColumn("id")
            .stateColumn("state")
            .build();
    this.clients = clients;
    this.defaults = defaults;
  }

  /** The limit in force for {@code clientId}: its own values where set, else the defaults. */
  Limit limitOf(String clientId) {
    return clients
        .rateLimitOf(clientId)
        .map(
            own -> {
              // A value out of range (registration checks it; SQL might not) counts as unset.
              int perSecond = inRange(own.perSecond()) ? own.perSecond() : defaults.perSecond();
              int burst = inRange(own.burst()) ? own.burst() : defaults.burst();
              return new Limit(perSecond, Math.max(burst, perSecond));
            })
        .orElseGet(() -> new Limit(defaults.perSecond(), defaults.burst()));
  }

  private static boolean inRange(Integer value) {
    return value != null && value >= 1 && value <= PartnerRateLimitConfig.MAX;
  }

  /**
   * Takes one request from the client's bucket.
   *
   * @throws ProblemException.TooManyRequests when it is empty, with the whole seconds until a
   *     request would be allowed (rounded up)
   */
  void take(String clientId) {
    Limit limit = limitOf(clientId);
    ConsumptionProbe probe =
        buckets.getProxy(limit.key(clientId), limit::configuration).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds =
          (probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1) / 1_000_000_000L;
      throw new ProblemException.TooManyRequests(
          "This client's rate limit is "
              + limit.perSecond()
              + " requests a second (burst "
              + limit.burst()
              + "); try again later.",
          seconds);
    }
  }

  /** A token bucket's size: refilled {@code perSecond} a second, holding at most {@code burst}. */
  record Limit(int perSecond, int burst) {
    String key(String clientId) {
      return clientId + "|" + perSecond + "|" + burst;
    }

    BucketConfiguration configuration() {
      return BucketConfiguration.builder()
          .addLimit(l -> l.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
          .build();
    }
  }
}
