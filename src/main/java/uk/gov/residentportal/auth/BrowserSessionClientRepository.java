package uk.gov.residentportal.auth;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
interface BrowserSessionClientRepository extends GenericRepository<BrowserSessionClient, String> {
  BrowserSessionClient save(BrowserSessionClient client);

  boolean existsBySessionIdAndClientId(String sessionId, String clientId);

  List<BrowserSessionClient> findBySessionId(String sessionId);
}
