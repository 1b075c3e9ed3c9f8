package uk.gov.residentportal.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.MYSQL)
interface AuditChainRepository extends GenericRepository<AuditChainHead, Integer> {

  /** Reads a chain's head and keeps it locked until the transaction ends (other writers wait). */
  @Query("SELECT * FROM audit_chains WHERE chain_id = :chainId FOR UPDATE")
  Optional<AuditChainHead> findHeadForUpdate(int chainId);

  @Query(
      "UPDATE audit_chains SET last_seq = :lastSeq, last_hash = :lastHash WHERE chain_id = :chainId")
  int moveHead(int chainId, long lastSeq, String lastHash);

  @Query("SELECT * FROM audit_chains WHERE chain_id = :chainId")
  Optional<AuditChainHead> findHead(int chainId);

  @Query("SELECT * FROM audit_chains ORDER BY chain_id")
  List<AuditChainHead> findHeads();
}
