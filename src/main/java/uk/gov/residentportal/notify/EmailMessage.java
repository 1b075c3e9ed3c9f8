package uk.gov.residentportal.notify;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One plain-text email to one recipient.
 *
 * <p>{@link #toString()} shows neither the address nor the text: messages carry personal data and
 * end up in logs and exception messages more easily than anyone intends.
 *
 * @param to the recipient's address, a single RFC 5322 addr-spec
 * @param subject one line
 * @param textBody the text/plain body; line breaks are kept
 */
public record EmailMessage(String to, String subject, String textBody) {

  // Loose on purpose: it finds address-like text inside library messages ("550 5.1.1
  // <jo@example.org>: Recipient address rejected") so they can be masked, it does not validate.
  private static final Pattern ADDRESS_LIKE =
      Pattern.compile(
          "[\\p{L}\\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*");

  public EmailMessage {
    requireNonNull(to, "to");
    requireNonNull(subject, "subject");
    requireNonNull(textBody, "textBody");
    if (to.isBlank()) {
      throw new IllegalArgumentException("to must not be blank");
    }
    // RFC 5322 §2.2: a header field is one line. Refusing CR and LF here means a subject taken
    // from user input can never add headers (Bcc:, a second To:) to the message.
    if (hasLineBreak(to) || hasLineBreak(subject)) {
      throw new IllegalArgumentException("to and subject must not contain line breaks");
    }
  }

  /**
   * Shows as little of an address as still helps someone reading a log: the first character and the
   * domain, {@code jo.bloggs@example.org} becoming {@code j***@example.org}. Anything that is not
   * an address becomes {@code ***}.
   */
  public static String mask(String email) {
    if (email == null) {
      return "***";
    }
    String trimmed = email.strip();
    int at = trimmed.lastIndexOf('@');
    if (at <= 0 || at == trimmed.length() - 1) {
      return "***";
    }
    return trimmed.substring(0, trimmed.offsetByCodePoints(0, 1)) + "***" + trimmed.substring(at);
  }

  /** Masks, with {@link #mask}, every address-like word in free text such as a server reply. */
  static String maskAddressesIn(String text) {
    if (text == null) {
      return null;
    }
    Matcher matcher = ADDRESS_LIKE.matcher(text);
    StringBuilder masked = new StringBuilder(text.length());
    while (matcher.find()) {
      matcher.appendReplacement(masked, Matcher.quoteReplacement(mask(matcher.group())));
    }
    matcher.appendTail(masked);
    return masked.toString();
  }

  private static boolean hasLineBreak(String value) {
    return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
  }

  @Override
  public String toString() {
    return "EmailMessage[to="
        + mask(to)
        + ", subject="
        + subject.length()
        + " chars, textBody="
        + textBody.length()
        + " chars]";
  }
}
