package uk.gov.residentportal.partner;

/** The kinds of NHS organisation in the partnership. */
public enum OrganisationType {
  NHS_TRUST,
  GP_PRACTICE,
  ICB,
  OTHER_CARE_PROVIDER
}
