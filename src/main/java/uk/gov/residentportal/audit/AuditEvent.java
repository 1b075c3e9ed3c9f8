package uk.gov.residentportal.audit;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Objects;

/**
 * One event to append: who did what to whose data, with what result. The time, the chain position
 * and the request id are added by {@link AuditTrail}.
 *
 * @param subject the resident the event is about (account id), if any
 * @param recordIds the records read or changed, if any
 */
public record AuditEvent(
    AuditAction action,
    AuditOutcome outcome,
    Actor actor,
    @Nullable String organisationOds,
    @Nullable String purpose,
    @Nullable String subject,
    List<String> recordIds) {

  public AuditEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(actor, "actor");
    recordIds = recordIds == null ? List.of() : List.copyOf(recordIds);
  }

  /** An event without organisation, purpose or records. */
  public static AuditEvent of(
      AuditAction action, AuditOutcome outcome, Actor actor, @Nullable String subject) {
    return new AuditEvent(action, outcome, actor, null, null, subject, List.of());
  }
}
