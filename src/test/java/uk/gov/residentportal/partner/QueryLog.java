package uk.gov.residentportal.partner;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The SQL Micronaut Data runs (its query log, {@code io.micronaut.data.query} at DEBUG), to compare
 * which queries requests make. Only queries on the tables a lookup reads are kept, so work in the
 * background (audit checkpoints, clean-ups) does not get in the way.
 */
final class QueryLog implements AutoCloseable {
  private static final List<String> TABLES =
      List.of("accounts", "consents", "partner_residents", "record");

  private final Logger logger = (Logger) LoggerFactory.getLogger("io.micronaut.data.query");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level level;
  private final boolean additive;

  private QueryLog() {
    level = logger.getLevel();
    additive = logger.isAdditive();
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
    logger.setLevel(Level.DEBUG);
  }

  static QueryLog start() {
    return new QueryLog();
  }

  /** The queries {@code request} made, in order. */
  synchronized List<String> of(Runnable request) {
    appender.list.clear();
    request.run();
    return appender.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(QueryLog::onLookupTables)
        .toList();
  }

  private static boolean onLookupTables(String query) {
    String q = query.toLowerCase(Locale.ROOT);
    return TABLES.stream().anyMatch(q::contains);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(level);
    logger.setAdditive(additive);
  }
}
