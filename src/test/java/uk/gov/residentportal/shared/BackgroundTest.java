package uk.gov.residentportal.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundTest {

  @Test
  void runsTheTaskOnTheExecutor_whenItHasRoom() throws Exception {
    ThreadPoolExecutor pool = BlockingExecutor.bounded(1, 1);
    try {
      CompletableFuture<Thread> ranOn = new CompletableFuture<>();

      Background.run(pool, () -> ranOn.complete(Thread.currentThread()));

      assertThat(ranOn.get(5, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void runsTheTaskOnTheCallersThread_whenTheExecutorRefusesIt() {
    Executor full =
        task -> {
          throw new RejectedExecutionException("full");
        };
    Thread[] ranOn = new Thread[1];

    Background.run(full, () -> ranOn[0] = Thread.currentThread());

    assertThat(ranOn[0]).isSameAs(Thread.currentThread());
  }
}
