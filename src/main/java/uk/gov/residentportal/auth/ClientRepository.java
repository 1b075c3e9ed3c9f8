package uk.gov.residentportal.auth;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface ClientRepository extends CrudRepository<Client, String> {
  Optional<Client> findByClientIdAndActive(String clientId, boolean active);
}
