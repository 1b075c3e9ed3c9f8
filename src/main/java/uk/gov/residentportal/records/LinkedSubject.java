package uk.gov.residentportal.records;

import io.micronaut.core.annotation.Introspected;
import java.time.Instant;

/** A link with what the resident sees of its subject (a row of a join, not an entity). */
@Introspected
record LinkedSubject(
    String id,
    RecordLink.LinkMethod method,
    Instant linkedAt,
    SubjectType subjectType,
    String subjectRef) {

  @Override
  public String toString() {
    return "LinkedSubject[id=" + id + ", type=" + subjectType + "]";
  }
}
