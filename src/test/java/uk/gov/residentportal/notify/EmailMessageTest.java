package uk.gov.residentportal.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.gov.residentportal.notify.TestEmails.anEmail;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailMessageTest {

  @Nested
  class Mask {
    @Test
    void keepsFirstCharacterAndDomainOnly() {
      assertThat(EmailMessage.mask("jo.bloggs@example.org")).isEqualTo("j***@example.org");
    }

    @Test
    void keepsAWholeFirstCharacterOutsideTheBasicPlane() {
      assertThat(EmailMessage.mask("\uD83D\uDE00smile@example.org"))
          .isEqualTo("\uD83D\uDE00***@example.org");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"nobody", "@example.org", "jo@", "   "})
    void hidesAnythingThatIsNotAnAddress(String notAnAddress) {
      assertThat(EmailMessage.mask(notAnAddress)).isEqualTo("***");
    }

    @Test
    void masksEveryAddressInFreeText() {
      assertThat(
              EmailMessage.maskAddressesIn(
                  "550 5.1.1 <jo.bloggs@example.org>: Recipient address rejected;"
                      + " also sam+tag@mail.example.co.uk"))
          .isEqualTo(
              "550 5.1.1 <j***@example.org>: Recipient address rejected; also s***@mail.example.co.uk");
    }
  }

  @Nested
  class ToString {
    @Test
    void showsNeitherAddressNorSubjectNorBody() {
      EmailMessage message =
          anEmail()
              .to("jo.bloggs@example.org")
              .withSubject("Your council tax for 12 Acacia Road")
              .withTextBody("NHS number 943 476 5919")
              .build();

      assertThat(message.toString())
          .contains("j***@example.org")
          .doesNotContain("jo.bloggs", "Acacia", "943 476 5919");
    }
  }

  @Nested
  class Construction {
    @ParameterizedTest
    @ValueSource(strings = {"Hello\r\nBcc: everyone@example.org", "Hello\nthere", "Hello\r"})
    void refusesLineBreaksInTheSubject(String subject) {
      assertThatThrownBy(() -> anEmail().withSubject(subject).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("to and subject must not contain line breaks");
    }

    @Test
    void refusesLineBreaksInTheRecipient() {
      assertThatThrownBy(() -> anEmail().to("jo@example.org\r\nBcc: x@example.org").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("example.org");
    }

    @Test
    void refusesABlankRecipient() {
      assertThatThrownBy(() -> anEmail().to(" ").build())
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsLineBreaksInTheBody() {
      assertThat(anEmail().withTextBody("one\r\ntwo\n").build().textBody())
          .isEqualTo("one\r\ntwo\n");
    }
  }
}
