package uk.gov.residentportal.catalogue;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
interface CatalogueRepository extends CrudRepository<CatalogueEntry, String> {
  boolean existsByDepartmentAndName(String department, String name);

  boolean existsByDepartmentAndNameAndIdNotEqual(String department, String name, String id);

  /** Keyset paging in (name, id) order: the page after the entry {@code (name, id)}. */
  @Query(
      "SELECT * FROM council_services WHERE name > :name OR (name = :name AND id > :id)"
          + " ORDER BY name, id LIMIT :limit")
  List<CatalogueEntry> pageAfter(String name, String id, int limit);

  /** Online services and the client each one signs in with (for SSO coverage). */
  List<CatalogueEntry> findByOnline(boolean online);
}
