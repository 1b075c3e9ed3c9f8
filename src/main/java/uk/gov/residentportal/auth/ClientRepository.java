package uk.gov.residentportal.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface ClientRepository extends CrudRepository<Client, String> {
  Optional<Client> findByClientIdAndActive(String clientId, boolean active);

  List<Client> findByClientIdGreaterThan(String clientId, Pageable pageable);

  List<Client> findByClientIdInAndActive(java.util.Collection<String> clientIds, boolean active);

  @Query("UPDATE clients SET active = FALSE, updated_at = :now WHERE client_id = :clientId")
  int deactivate(String clientId, Instant now);
}
