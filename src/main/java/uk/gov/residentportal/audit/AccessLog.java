package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.partner.Organisations;
import uk.gov.residentportal.web.ProblemException;

/**
 * The resident's access log: every partner read of their data from the audit trail, newest first.
 * Only reads that read something (outcome SUCCESS): a lookup that found nobody, or a refused
 * request, read nothing of theirs.
 */
@Singleton
class AccessLog {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private static final List<String> PARTNER_READS =
      Arrays.stream(AuditAction.values()).filter(AuditAction::partnerRead).map(Enum::name).toList();

  private final AuditRepository events;
  private final Organisations organisations;
  private final AccountService accounts;

  AccessLog(AuditRepository events, Organisations organisations, AccountService accounts) {
    this.events = events;
    this.organisations = organisations;
    this.accounts = accounts;
  }

  /**
   * A page of the account's log below {@code cursor}: keyset paging on {@code (occurred_at, id)},
   * so events appended while the resident pages never repeat or push others off a page.
   *
   * <p>An erased or inactive account's token, still valid until it expires, gets 401 like the other
   * resident endpoints.
   *
   * @param limit 1 to {@value #MAX_LIMIT}, or null for {@value #DEFAULT_LIMIT}
   */
  @Transactional(readOnly = true)
  AccessLogBodies.Page page(String accountId, @Nullable String cursor, @Nullable Integer limit) {
    if (accounts.assuranceOf(accountId).isEmpty()) {
      throw new ProblemException.Unauthorized("The account is not active.");
    }
    return pageOf(accountId, cursor, limit);
  }

  private AccessLogBodies.Page pageOf(
      String accountId, @Nullable String cursor, @Nullable Integer limit) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw new ProblemException.InvalidField("limit", "must be from 1 to " + MAX_LIMIT);
    }
    AccessLogCursor after =
        cursor == null || cursor.isEmpty() ? AccessLogCursor.START : AccessLogCursor.parse(cursor);
    // One more than the page: whether there is a next page, without counting.
    List<AuditRecord> rows =
        events.findPartnerReads(accountId, PARTNER_READS, after.micros(), after.id(), size + 1);
    List<AuditRecord> page = rows.size() > size ? rows.subList(0, size) : rows;
    String next = null;
    if (rows.size() > size) {
      AuditRecord last = page.get(page.size() - 1);
      next = new AccessLogCursor(last.occurredAt(), last.id()).encode();
    }
    Map<String, String> names =
        organisations.names(
            page.stream().map(AuditRecord::organisationOds).filter(Objects::nonNull).toList());
    return new AccessLogBodies.Page(page.stream().map(e -> entry(e, names)).toList(), next);
  }

  /** Every entry of the account's log, newest first (the subject access export). */
  @Transactional(readOnly = true)
  List<AccessLogBodies.Entry> all(String accountId) {
    List<AccessLogBodies.Entry> all = new java.util.ArrayList<>();
    String cursor = null;
    do {
      AccessLogBodies.Page page = pageOf(accountId, cursor, MAX_LIMIT);
      all.addAll(page.accesses());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  private static AccessLogBodies.Entry entry(AuditRecord e, Map<String, String> names) {
    return new AccessLogBodies.Entry(
        e.id(),
        e.organisationOds(),
        e.organisationOds() == null ? null : names.get(e.organisationOds()),
        e.purpose(),
        e.action(),
        e.recordIds() == null || e.recordIds().isEmpty()
            ? List.of()
            : List.of(e.recordIds().split(" ")),
        Instant.EPOCH.plus(e.occurredAt(), ChronoUnit.MICROS));
  }
}
