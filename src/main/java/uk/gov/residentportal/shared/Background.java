package uk.gov.residentportal.shared;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Work handed off the request thread (notices to residents) onto the bounded blocking executor
 * (BlockingExecutor). When its queue is full the work runs on the caller's thread instead: the
 * answer is slower, but a security notice is never dropped and a request whose change is already
 * committed is not answered with an error.
 */
public final class Background {
  private Background() {}

  public static void run(Executor executor, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException full) {
      task.run();
    }
  }
}
