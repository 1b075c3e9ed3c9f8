package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** A download's stream yields exactly the size the metadata promised, or fails. */
class ExactLengthInputStreamTest {

  private static InputStream of(int size, long promised) {
    return new ExactLengthInputStream(new ByteArrayInputStream(new byte[size]), promised);
  }

  @Test
  void yieldsBytesOfThePromisedLength() throws IOException {
    assertThat(of(10, 10).readAllBytes()).hasSize(10);
    assertThat(of(0, 0).read()).isEqualTo(-1);
  }

  @Test
  void failsWhenTheBytesEndEarly() {
    assertThatThrownBy(() -> of(9, 10).readAllBytes())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("after 9 of 10");
  }

  @Test
  void failsWhenTheBytesGoOnLonger() {
    assertThatThrownBy(() -> of(11, 10).readAllBytes())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer");
  }

  @Test
  void failsByteByByteToo() throws IOException {
    InputStream in = of(1, 2);
    assertThat(in.read()).isZero();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }
}
