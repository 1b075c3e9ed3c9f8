package uk.gov.residentportal.records;

/** What a record is about: never a portal account, always something the council already knows. */
public enum SubjectType {
  /** A council tax account, by its reference. */
  COUNCIL_TAX_ACCOUNT,
  /** A property, by its UPRN. */
  PROPERTY,
  /** A person, by the council's person id. */
  PERSON,
  /** A person, by NHS number. */
  NHS_NUMBER
}
