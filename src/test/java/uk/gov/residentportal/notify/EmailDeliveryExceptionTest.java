package uk.gov.residentportal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.MessagingException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class EmailDeliveryExceptionTest {

  @Test
  void keepsTheCauseChainWithEveryAddressMasked() {
    MessagingException refused =
        new MessagingException(
            "Invalid Addresses",
            new MessagingException(
                "550 5.1.1 <jo.bloggs@example.org>: Recipient address rejected"));

    EmailDeliveryException exception =
        new EmailDeliveryException("the SMTP relay did not take the email", refused);

    assertThat(exception.getCause())
        .hasMessage("jakarta.mail.MessagingException: Invalid Addresses")
        .hasStackTraceContaining("550 5.1.1 <j***@example.org>: Recipient address rejected");
    assertThat(exception.getCause().getStackTrace()).isEqualTo(refused.getStackTrace());
    assertThat(printed(exception)).doesNotContain("jo.bloggs");
  }

  @Test
  void carriesNoCauseWhenGivenNone() {
    assertThat(new EmailDeliveryException("nothing to add").getCause()).isNull();
  }

  private static String printed(Throwable throwable) {
    StringWriter out = new StringWriter();
    throwable.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
