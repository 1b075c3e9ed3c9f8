package uk.gov.residentportal.shared;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;

/**
 * Connector/J settings that spare a round trip or a parse on every statement, for MySQL and MariaDB
 * URLs only (H2 refuses settings it does not know). HikariCP's own advice for MySQL: cache parsed
 * statements per connection, and keep the session's autocommit and isolation state in the driver
 * rather than asking the server. Read-only transactions stay a hint to the driver ({@code
 * readOnlyPropagatesToServer=false}): otherwise each costs two more round trips (SET SESSION
 * TRANSACTION READ ONLY, then READ WRITE), and nothing here relies on the server refusing a write
 * in one. A setting the URL already names is left as the URL says.
 */
@Singleton
final class MySqlDriverSettings implements BeanCreatedEventListener<DatasourceConfiguration> {
  static final Map<String, String> SETTINGS =
      Map.of(
          "cachePrepStmts", "true",
          "prepStmtCacheSize", "250",
          "prepStmtCacheSqlLimit", "2048",
          "useLocalSessionState", "true",
          "cacheServerConfiguration", "true",
          "elideSetAutoCommits", "true",
          "maintainTimeStats", "false",
          "readOnlyPropagatesToServer", "false");

  @Override
  public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
    return apply(event.getBean());
  }

  static DatasourceConfiguration apply(DatasourceConfiguration config) {
    String url = config.getJdbcUrl();
    if (url != null && url.startsWith("jdbc:mysql:")) {
      String lower = url.toLowerCase(Locale.ROOT);
      SETTINGS.forEach(
          (name, value) -> {
            if (!lower.contains(name.toLowerCase(Locale.ROOT) + "=")
                && !config.getDataSourceProperties().containsKey(name)) {
              config.addDataSourceProperty(name, value);
            }
          });
    }
    return config;
  }
}
