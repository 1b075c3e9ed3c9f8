/**
 * The council services catalogue: every service the council runs, its department, whether it is
 * online, and the OIDC client it signs residents in with. Administrators keep it; SSO coverage
 * (services using our sign-in ÷ online services) is counted from it.
 */
package uk.gov.residentportal.catalogue;
