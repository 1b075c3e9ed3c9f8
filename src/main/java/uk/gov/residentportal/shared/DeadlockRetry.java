package uk.gov.residentportal.shared;

import java.sql.SQLTransactionRollbackException;
import java.util.function.Supplier;

/**
 * Runs a whole transaction again when the database chose it as a deadlock victim (InnoDB rolls the
 * victim back entirely, so running it again is safe). Racing requests on one grant (replicas
 * refreshing the same token) can deadlock on the rows they lock in different orders.
 */
public final class DeadlockRetry {
  private static final int ATTEMPTS = 3;

  private DeadlockRetry() {}

  public static <T> T run(Supplier<T> transaction) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.get();
      } catch (RuntimeException e) {
        if (attempt >= ATTEMPTS || !isDeadlock(e)) {
          throw e;
        }
      }
    }
  }

  /** Whether the database rolled the transaction back to break a deadlock (anywhere in causes). */
  public static boolean isDeadlock(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransactionRollbackException) {
        return true;
      }
    }
    return false;
  }
}
