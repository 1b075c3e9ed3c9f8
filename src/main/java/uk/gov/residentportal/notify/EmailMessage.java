package uk.gov.residentportal.notify;

/** One plain-text email. Its {@link #toString()} shows neither the address nor the body. */
public record EmailMessage(String to, String subject, String textBody) {
  @Override
  public String toString() {
    return "EmailMessage[subject=" + subject + "]";
  }
}
