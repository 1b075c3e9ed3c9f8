package uk.gov.residentportal.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import uk.gov.residentportal.support.Portal;

/**
 * The blocking executor has a fixed number of threads and a bounded queue; when both are full a
 * request is refused at once with 503 problem+json and Retry-After, never left waiting.
 */
@MicronautTest(transactional = false)
@Property(name = "portal.executor.threads", value = "2")
@Property(name = "portal.executor.queue", value = "2")
// Each sign-up holds a thread for a second or so: slow enough to fill the pool on purpose.
@Property(name = "portal.passwords.argon2-iterations", value = "20")
class BlockingExecutorTest {
  @Inject EmbeddedServer server;

  // The bean as controllers get it (wrapped for metrics, so only its behaviour is checked).
  @Inject
  @Named(TaskExecutors.BLOCKING)
  ExecutorService blocking;

  @Test
  void theBlockingExecutorRefusesATaskBeyondItsThreadsAndQueue() {
    CompletableFuture<Void> release = new CompletableFuture<>();
    try {
      assertThatThrownBy(
              () -> {
                // Two threads and two places in the queue: the fifth task at the latest is
                // refused (sooner if the service has work of its own queued).
                for (int i = 0; i < 5; i++) {
                  blocking.execute(release::join);
                }
              })
          .isInstanceOf(RejectedExecutionException.class);
    } finally {
      release.complete(null);
    }
  }

  @Test
  void readinessStillAnswersUpWhileEveryBlockingThreadAndPlaceInTheQueueIsTaken() {
    Portal portal = new Portal(server.getURI());
    CompletableFuture<Void> release = new CompletableFuture<>();
    try {
      try {
        for (int i = 0; i < 5; i++) {
          blocking.execute(release::join);
        }
      } catch (RejectedExecutionException full) {
        // Full, as intended.
      }
      // The database check runs on threads of its own (DatabaseHealth), not behind the queue.
      Portal.Response readiness = portal.get("/health/readiness", null);
      assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
      assertThat(readiness.body()).contains("UP");
    } finally {
      release.complete(null);
    }
  }

  @Test
  void aPoolOfOneThreadAndAQueueOfOneRefusesTheThirdTask() {
    ThreadPoolExecutor pool = BlockingExecutor.bounded(1, 1);
    CompletableFuture<Void> release = new CompletableFuture<>();
    try {
      pool.execute(release::join);
      pool.execute(release::join);

      assertThatThrownBy(() -> pool.execute(() -> {}))
          .isInstanceOf(RejectedExecutionException.class);
    } finally {
      release.complete(null);
      pool.shutdown();
    }
  }

  @Test
  void aRequestFindingThePoolAndQueueFullIsAnswered503AtOnce_andTheOthersAreServed() {
    Portal portal = new Portal(server.getURI());
    ExecutorService callers = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Portal.Response>> signUps = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      signUps.add(
          CompletableFuture.supplyAsync(
              () -> portal.signUp(Portal.newEmail(), Portal.PASSWORD), callers));
    }
    List<Portal.Response> answers = signUps.stream().map(CompletableFuture::join).toList();
    callers.shutdown();

    List<Portal.Response> refused = answers.stream().filter(r -> r.status() == 503).toList();
    assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.body()).isIn(201, 503));
    assertThat(answers).filteredOn(r -> r.status() == 201).isNotEmpty();
    assertThat(refused).isNotEmpty();
    for (Portal.Response busy : refused) {
      assertThat(busy.contentType()).startsWith("application/problem+json");
      assertThat(busy.header("retry-after")).isEqualTo("5");
      assertThat(busy.json()).containsEntry("type", "urn:resident-portal:problem:unavailable");
    }
    // Refusal is for the moment only: once the burst is over the next one is served.
    assertThat(portal.signUp(Portal.newEmail(), Portal.PASSWORD).status()).isEqualTo(201);
  }
}
