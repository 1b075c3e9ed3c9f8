package uk.gov.residentportal.shared;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.aggregator.HealthAggregator;
import io.micronaut.management.health.indicator.jdbc.JdbcIndicator;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;

/**
 * Micronaut's database health check (part of {@code /health/readiness}) on threads of its own.
 * Micronaut runs it on the blocking executor, which is bounded (BlockingExecutor): on a busy
 * replica the check would wait behind the queue or be refused, readiness would fail, and Kubernetes
 * would take the busiest replicas out, pushing their traffic onto the others. Readiness says
 * whether the database answers, not whether this replica is busy (a full queue already answers
 * 503).
 */
@Singleton
@Replaces(JdbcIndicator.class)
@Requires(beans = HealthEndpoint.class)
final class DatabaseHealth extends JdbcIndicator {
  // Two threads; probes arrive a few times a minute, so a queue of 16 is never reached unless the
  // database hangs, and then a refused check reads as DOWN, which is the truth.
  private static final int THREADS = 2;
  private static final int QUEUE = 16;

  private final ExecutorService executor;

  DatabaseHealth(
      DataSource[] dataSources,
      DataSourceResolver resolver,
      @Nullable HealthAggregator<?> aggregator) {
    this(
        BlockingExecutor.bounded(THREADS, QUEUE, "health-check-"),
        dataSources,
        resolver,
        aggregator);
  }

  private DatabaseHealth(
      ExecutorService executor,
      DataSource[] dataSources,
      DataSourceResolver resolver,
      @Nullable HealthAggregator<?> aggregator) {
    super(executor, dataSources, resolver, aggregator);
    this.executor = executor;
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }
}
