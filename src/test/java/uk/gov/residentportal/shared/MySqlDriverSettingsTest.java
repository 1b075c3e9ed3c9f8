package uk.gov.residentportal.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import org.junit.jupiter.api.Test;

class MySqlDriverSettingsTest {
  private static DatasourceConfiguration configured(String url) {
    DatasourceConfiguration config = new DatasourceConfiguration("default");
    config.setJdbcUrl(url);
    return MySqlDriverSettings.apply(config);
  }

  @Test
  void aMySqlUrlGetsTheStatementCacheAndLocalSessionState() {
    DatasourceConfiguration config =
        configured("jdbc:mysql://db:3306/portal?connectionTimeZone=UTC");
    assertThat(config.getDataSourceProperties())
        .containsEntry("cachePrepStmts", "true")
        .containsEntry("useLocalSessionState", "true")
        .hasSize(MySqlDriverSettings.SETTINGS.size());
  }

  @Test
  void aSettingTheUrlNamesIsLeftAsTheUrlSays() {
    DatasourceConfiguration config =
        configured("jdbc:mysql://db:3306/portal?cachePrepStmts=false&connectionTimeZone=UTC");
    assertThat(config.getDataSourceProperties())
        .doesNotContainKey("cachePrepStmts")
        .containsEntry("prepStmtCacheSize", "250");
  }

  @Test
  void theEmbeddedH2DatabaseIsLeftAlone() {
    assertThat(configured("jdbc:h2:file:./data/portal;MODE=MySQL").getDataSourceProperties())
        .isEmpty();
  }
}
