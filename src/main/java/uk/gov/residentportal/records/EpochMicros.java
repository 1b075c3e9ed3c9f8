package uk.gov.residentportal.records;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Stores a source system's {@code updatedAt} as microseconds since the epoch (BIGINT). A
 * DATETIME(6) would do on MySQL 8, but MySQL Connector/J drops the fraction when talking to MariaDB
 * (it reads MariaDB's "5.5.5-" version prefix as a server without fractional seconds), and then two
 * changes within one second would look like a replay. An integer is exact on all three databases.
 */
@Singleton
final class EpochMicros implements AttributeConverter<Instant, Long> {

  static long of(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static Instant toInstant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  @Override
  public Long convertToPersistedValue(Instant entityValue, ConversionContext context) {
    return entityValue == null ? null : of(entityValue);
  }

  @Override
  public Instant convertToEntityValue(Long persistedValue, ConversionContext context) {
    return persistedValue == null ? null : toInstant(persistedValue);
  }
}
