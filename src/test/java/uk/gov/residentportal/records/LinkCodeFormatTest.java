package uk.gov.residentportal.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shape of one-time linking codes and of link labels, without a server. */
class LinkCodeFormatTest {

  @Test
  void alphabetHasThirtySymbolsWithoutLookAlikes() {
    assertThat(LinkCodes.ALPHABET).hasSize(30).doesNotContain("0", "O", "1", "I", "L", "U");
    assertThat(LinkCodes.ALPHABET.chars().distinct().count()).isEqualTo(30);
  }

  @Test
  void showsCodesInGroupsOfFour() {
    assertThat(LinkCodes.grouped("ABCDEFGHJKMNPQRS")).isEqualTo("ABCD-EFGH-JKMN-PQRS");
  }

  @Test
  void normalisesWhatResidentsType() {
    assertThat(LinkCodes.normalise(" abcd-efgh jkmn\tpqrs ")).isEqualTo("ABCDEFGHJKMNPQRS");
  }

  @Test
  void labelsNameTheKindAndTheLastFourCharacters() {
    assertThat(Linking.label(SubjectType.COUNCIL_TAX_ACCOUNT, "CT0012345678"))
        .isEqualTo("Council tax account ending 5678");
    assertThat(Linking.label(SubjectType.PROPERTY, "1234")).isEqualTo("Property");
  }
}
