package uk.gov.residentportal.partner;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface OrganisationRepository extends CrudRepository<Organisation, String> {

  /** A page in ODS code order after {@code odsCode} (the last code of the previous page). */
  List<Organisation> findByOdsCodeGreaterThan(String odsCode, Pageable pageable);

  /**
   * Reads an organisation and keeps it locked until the transaction ends (one change at a time).
   */
  @Query("SELECT * FROM partner_organisations WHERE ods_code = :odsCode FOR UPDATE")
  Optional<Organisation> findForUpdate(String odsCode);
}
