package uk.gov.residentportal.partner;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.mysql.Bucket4jMySQL;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>The limit is the client's own (read with the client on every request by PartnerGate) or {@link
 * PartnerRateLimitConfig}. The bucket's key names the limit, {@code
 * <clientId>|<perSecond>|<burst>}: a changed limit counts from the next request, in a bucket of its
 * own that starts full.
 *
 * <p>In front of it, a bucket of the same size in this replica's memory, under the same key: a
 * request it refuses is answered 429 at once, without waiting on the shared bucket's row lock, so
 * one client's flood cannot hold every pooled connection queued behind its own bucket row. Only the
 * requests it lets through take from the shared bucket, which keeps the limit across replicas (each
 * replica lets through at most the client's limit, the database bucket the limit of all). At most
 * {@value #MAX_LOCAL_BUCKETS} local buckets are kept (keys come from verified tokens of registered
 * clients, so there are few); beyond that, full ones (idle: the same as a new one) are dropped
 * first, then all.
 */
@Singleton
class PartnerRateLimiter {
  static final int MAX_LOCAL_BUCKETS = 10_000;

  private final Map<String, LocalBucket> local = new ConcurrentHashMap<>();
  private final ProxyManager<String> buckets;
  private final PartnerRateLimitConfig defaults;

  PartnerRateLimiter(DataSource dataSource, PartnerRateLimitConfig defaults) {
    // The pool itself, not Micronaut's transaction-aware wrapper: Bucket4j commits on its own
    // connection, whatever transaction the caller may be in.
    this.buckets =
        Bucket4jMySQL.selectForUpdateBasedBuilder(DelegatingDataSource.unwrapDataSource(dataSource))
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("rate_limit_buckets")
            .idColumn("id")
            .stateColumn("state")
            .build();
    this.defaults = defaults;
  }

  /** The limit in force for a client: its own values ({@code own}) where set, else the defaults. */
  Limit limitOf(ClientService.ClientRateLimit own) {
    // A value out of range (registration checks it; SQL might not) counts as unset.
    int perSecond = inRange(own.perSecond()) ? own.perSecond() : defaults.perSecond();
    int burst = inRange(own.burst()) ? own.burst() : defaults.burst();
    return new Limit(perSecond, Math.max(burst, perSecond));
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
  void take(String clientId, ClientService.ClientRateLimit own) {
    Limit limit = limitOf(own);
    String key = limit.key(clientId);
    refuseUnlessConsumed(limit, localBucket(key, limit).tryConsumeAndReturnRemaining(1));
    refuseUnlessConsumed(
        limit, buckets.getProxy(key, limit::configuration).tryConsumeAndReturnRemaining(1));
  }

  private static void refuseUnlessConsumed(Limit limit, ConsumptionProbe probe) {
    if (!probe.isConsumed()) {
      long seconds =
          (probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1) / 1_000_000_000L;
      throw new ProblemException.TooManyRequests(
          "This client's rate limit is "
              + limit.perSecond()
              + " requests a second (burst "
              + limit.burst()
              + "); try again later.",
          Math.max(1, seconds));
    }
  }

  /** This replica's bucket for {@code key}, made full on first use. */
  private Bucket localBucket(String key, Limit limit) {
    LocalBucket existing = local.get(key);
    if (existing != null) {
      return existing.bucket();
    }
    if (local.size() >= MAX_LOCAL_BUCKETS) {
      local.values().removeIf(LocalBucket::full);
      if (local.size() >= MAX_LOCAL_BUCKETS) {
        local.clear();
      }
    }
    return local
        .computeIfAbsent(
            key,
            k ->
                new LocalBucket(
                    Bucket.builder()
                        .addLimit(
                            l ->
                                l.capacity(limit.burst())
                                    .refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
                        .build(),
                    limit.burst()))
        .bucket();
  }

  /** How many local buckets are kept (tests). */
  int localBuckets() {
    return local.size();
  }

  private record LocalBucket(Bucket bucket, long capacity) {
    boolean full() {
      return bucket.getAvailableTokens() >= capacity;
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
