package uk.gov.residentportal.partner;

/**
 * A partner client let through {@link PartnerGate}: its client id and its organisation's ODS code.
 */
record PartnerCaller(String clientId, String odsCode) {}
