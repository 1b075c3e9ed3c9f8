/**
 * Uptake: how many residents use the portal, over time, by area, as a share of the population, and
 * the Government Digital Service KPIs the portal can measure. The account feature tells {@link
 * uk.gov.residentportal.uptake.UptakeLedger} of every change in the transaction that makes it; the
 * ledger keeps daily and monthly roll-ups by area, so a report reads a few thousand rows whatever
 * the number of accounts (see V18__uptake.sql).
 */
package uk.gov.residentportal.uptake;
