package uk.gov.residentportal.account;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AccountRoleRepository extends GenericRepository<AccountRole, AccountRole.Key> {

  @Query("SELECT role FROM account_roles WHERE account_id = :accountId")
  List<Role> findRolesByAccountId(String accountId);

  @Query(
      "INSERT INTO account_roles (account_id, role, granted_at)"
          + " VALUES (:accountId, :role, :grantedAt)")
  void grant(String accountId, String role, Instant grantedAt);

  @Query("DELETE FROM account_roles WHERE account_id = :accountId")
  void deleteByAccountId(String accountId);
}
