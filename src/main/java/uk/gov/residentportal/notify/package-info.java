/**
 * Email for every other feature: they call {@link uk.gov.residentportal.notify.EmailSender} with an
 * {@link uk.gov.residentportal.notify.EmailMessage} and never learn how it travels.
 *
 * <p>{@code portal.email.sender} picks exactly one way: {@code outbox} (the default: one .eml file
 * per message under {@code portal.email.outbox}, for development and for machines with no mail
 * relay), {@code smtp} (a relay, {@code portal.email.smtp.*}) or {@code notify} (GOV.UK Notify, one
 * generic template whose personalisation is {@code subject} and {@code body}). The chosen sender is
 * built while the service starts, so a missing or wrong setting stops it with a message naming the
 * setting.
 */
package uk.gov.residentportal.notify;
