package uk.gov.residentportal.shared;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.Min;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor behind {@code @ExecuteOn(TaskExecutors.BLOCKING)} (every controller that touches the
 * database) and the background work handed to it: a fixed number of threads and a bounded queue, in
 * place of Micronaut's default cached pool, which starts a new thread for every waiting request and
 * so has no bound at all.
 *
 * <p>When every thread is busy and the queue is full the task is refused ({@link
 * java.util.concurrent.RejectedExecutionException}), which the caller sees as a 503 with {@code
 * Retry-After} (web/ProblemResponseProcessor): an overloaded replica says so at once instead of
 * letting waits grow without limit.
 */
@Factory
final class BlockingExecutor {

  /** {@code portal.executor.*}: the size of the blocking pool and of its queue. */
  @ConfigurationProperties("portal.executor")
  record Limits(@Min(1) int threads, @Min(1) int queue) {}

  // The IO executor is the blocking one on Java 17 (no virtual threads): replacing it bounds both.
  @Singleton
  @Named(TaskExecutors.IO)
  @Replaces(bean = ExecutorService.class, named = TaskExecutors.IO)
  @Bean(preDestroy = "shutdown")
  ExecutorService io(Limits limits) {
    return bounded(limits.threads(), limits.queue());
  }

  /** A pool of exactly {@code threads} threads queueing at most {@code queue} tasks. */
  static ThreadPoolExecutor bounded(int threads, int queue) {
    return bounded(threads, queue, "io-executor-thread-");
  }

  /** The same, its threads named {@code prefix} and a number. */
  static ThreadPoolExecutor bounded(int threads, int queue, String prefix) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            new Threads(prefix),
            new ThreadPoolExecutor.AbortPolicy());
    // Idle threads end after a minute, so a quiet replica holds no more than it needs.
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static final class Threads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    Threads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(false);
      return thread;
    }
  }
}
