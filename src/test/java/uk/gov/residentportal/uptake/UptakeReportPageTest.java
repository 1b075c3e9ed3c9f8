package uk.gov.residentportal.uptake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import uk.gov.residentportal.support.Portal;

/**
 * The uptake report page and its CSV download over plain HTTP: the sign-in round trip through the
 * portal's reports client, who is refused, the form's errors, the remembered URL (never another
 * origin), and the figures of an area of the test's own.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptakeReportPageTest implements TestPropertyProvider {
  private static final String ADMIN = "uptake-page-admin@example.org";
  private static final String STATE = "s".repeat(43);

  @Inject EmbeddedServer server;
  @Inject UptakeLedger ledger;
  @Inject TransactionOperations<Connection> transactions;

  private Portal portal;
  private String managerSession;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("portal.bootstrap-admin-email", ADMIN);
  }

  @BeforeEach
  void setUp() {
    portal = new Portal(server.getURI());
    if (managerSession != null) {
      return;
    }
    portal.signUpAndVerify(ADMIN);
    String admin = portal.signIn(ADMIN).accessToken();
    String email = Portal.newEmail();
    String id = portal.signUpAndVerify(email);
    Portal.Response granted =
        portal.json(
            "POST", "/api/v1/admin/accounts/" + id + "/roles", "{\"roles\":[\"MANAGER\"]}", admin);
    assertThat(granted.status()).isEqualTo(200);
    managerSession = ReportPageFixtures.sessionOf(portal, email);
  }

  private Portal.Response get(String path, String session) {
    return session == null
        ? portal.get(path, null)
        : portal.get(path, null, "Cookie", "portal_session=" + session);
  }

  private static String rememberCookie(String returnTo) {
    return STATE
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(returnTo.getBytes(StandardCharsets.US_ASCII));
  }

  @Nested
  class SignIn {
    @Test
    void sendsABrowserWithoutASessionToSignInAndBackToTheReportItAskedFor() {
      String asked = "/reports/uptake?from=2004-01-01&to=2004-03-31&interval=month";
      Portal.Response first = get(asked, null);

      assertThat(first.status()).isEqualTo(302);
      URI authorize = URI.create(first.header("location"));
      assertThat(authorize.getPath()).isEqualTo("/oauth2/authorize");
      assertThat(authorize.getQuery())
          .contains("client_id=portal-reports")
          .contains("response_type=code")
          .contains("scope=openid")
          .contains("code_challenge_method=S256")
          .contains("redirect_uri=" + portal.base() + "/reports/callback");
      String cookie = ReportPageFixtures.setCookie(first, "portal_reports_signin");
      assertThat(cookie)
          .containsIgnoringCase("HttpOnly")
          .containsIgnoringCase("SameSite=Lax")
          .contains("Path=/reports/callback")
          .contains("Max-Age=600")
          // The issuer is http://localhost here: Secure only with https.
          .doesNotContain("Secure");
      String remembered = ReportPageFixtures.cookie(first, "portal_reports_signin");
      String state = Portal.redirectParams(first).get("state");
      assertThat(remembered).startsWith(state + ".");

      // The real sign-in form, as the browser shows it for the reports client.
      Portal.SignInPage page =
          portal.openSignIn(
              Portal.redirectParams(first), new com.nimbusds.oauth2.sdk.pkce.CodeVerifier());
      assertThat(page.page().body()).contains("Council account reports");
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      Portal.Response signedIn = portal.submitSignIn(page, email, Portal.PASSWORD);
      assertThat(signedIn.status()).isEqualTo(302);
      URI callback = URI.create(signedIn.header("location"));
      assertThat(portal.base() + callback.getPath()).isEqualTo(portal.base() + "/reports/callback");
      String session = ReportPageFixtures.cookie(signedIn, "portal_session");

      Portal.Response back =
          portal.get(
              callback.getRawPath() + "?" + callback.getRawQuery(),
              null,
              "Cookie",
              "portal_reports_signin=" + remembered + "; portal_session=" + session);
      assertThat(back.status()).isEqualTo(302);
      assertThat(back.header("location")).isEqualTo(asked);
      // The code the callback received is never redeemable: the page uses the session only.
      Portal.Response token =
          portal.post(
              "/oauth2/token",
              "application/x-www-form-urlencoded",
              Portal.encode(
                  java.util.Map.of(
                      "grant_type",
                      "authorization_code",
                      "code",
                      Portal.redirectParams(signedIn).get("code"),
                      "client_id",
                      "portal-reports",
                      "redirect_uri",
                      portal.base() + "/reports/callback",
                      "code_verifier",
                      new com.nimbusds.oauth2.sdk.pkce.CodeVerifier().getValue())));
      assertThat(token.status()).isEqualTo(400);
      assertThat(token.body()).contains("invalid_grant");
      assertThat(ReportPageFixtures.setCookie(back, "portal_reports_signin")).contains("Max-Age=0");
      // A resident: signed in now, but not allowed to see reports.
      assertThat(get(asked, session).status()).isEqualTo(403);
    }

    @Test
    void remembersTheCsvDownloadToo() {
      Portal.Response first = get("/reports/uptake.csv?interval=week", null);

      assertThat(first.status()).isEqualTo(302);
      String value = ReportPageFixtures.cookie(first, "portal_reports_signin");
      String path =
          new String(
              Base64.getUrlDecoder().decode(value.substring(value.indexOf('.') + 1)),
              StandardCharsets.US_ASCII);
      assertThat(path).isEqualTo("/reports/uptake.csv?interval=week");
    }

    @Test
    void refusesACallbackWhoseStateIsNotTheBrowsers() {
      Portal.Response wrong =
          portal.get(
              "/reports/callback?code=abc&state=" + "t".repeat(43),
              null,
              "Cookie",
              "portal_reports_signin=" + rememberCookie("/reports/uptake"));

      assertThat(wrong.status()).isEqualTo(400);
      assertThat(wrong.contentType()).startsWith("text/html");
      assertThat(wrong.body()).contains("Sorry, there is a problem");
      assertThat(wrong.header("location")).isNull();
    }

    @Test
    void refusesACallbackWithoutTheCookieOrTheState() {
      assertThat(portal.get("/reports/callback?code=abc&state=" + STATE, null).status())
          .isEqualTo(400);
      assertThat(
              portal
                  .get(
                      "/reports/callback?code=abc",
                      null,
                      "Cookie",
                      "portal_reports_signin=" + rememberCookie("/reports/uptake"))
                  .status())
          .isEqualTo(400);
    }

    @Test
    void showsAnErrorPageWhenTheSignInDidNotFinish() {
      Portal.Response denied =
          portal.get(
              "/reports/callback?error=access_denied&state=" + STATE,
              null,
              "Cookie",
              "portal_reports_signin=" + rememberCookie("/reports/uptake"));

      assertThat(denied.status()).isEqualTo(400);
      assertThat(denied.body()).contains("The sign-in did not finish");
    }

    @Test
    void sendsTheBrowserOnlyToAReportPathOfItsOwnOrigin() {
      for (String evil :
          new String[] {
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/reports/../oauth2/authorize",
            "/reports//evil.example/x#y",
            "/reports/callback?state=x",
            "/reports/uptake\r\nSet-Cookie: x=y",
            "javascript:alert(1)",
            ""
          }) {
        Portal.Response back =
            portal.get(
                "/reports/callback?code=abc&state=" + STATE,
                null,
                "Cookie",
                "portal_reports_signin=" + rememberCookie(evil));
        assertThat(back.status()).as(evil).isEqualTo(302);
        assertThat(back.header("location")).as(evil).isEqualTo("/reports/uptake");
      }
      Portal.Response kept =
          portal.get(
              "/reports/callback?code=abc&state=" + STATE,
              null,
              "Cookie",
              "portal_reports_signin=" + rememberCookie("/reports/uptake?area=E05000001"));
      assertThat(kept.header("location")).isEqualTo("/reports/uptake?area=E05000001");
    }
  }

  @Nested
  class Access {
    @Test
    void refusesAResidentWithAnAccessPage() {
      String email = Portal.newEmail();
      portal.signUpAndVerify(email);
      String resident = ReportPageFixtures.sessionOf(portal, email);

      Portal.Response page = get("/reports/uptake", resident);
      assertThat(page.status()).isEqualTo(403);
      assertThat(page.contentType()).startsWith("text/html");
      assertThat(page.body())
          .contains("<h1 class=\"govuk-heading-l\">You do not have access to reports</h1>")
          .doesNotContain("data-figure");
      Portal.Response csv = get("/reports/uptake.csv", resident);
      assertThat(csv.status()).isEqualTo(403);
      assertThat(csv.body()).doesNotContain("period,start");
    }

    @Test
    void sendsABrowserWithAnEndedOrForgedSessionToSignIn() {
      assertThat(get("/reports/uptake", "x".repeat(43)).status()).isEqualTo(302);
      assertThat(get("/reports/uptake", "not-a-session").header("location"))
          .startsWith("/oauth2/authorize?");
    }
  }

  @Nested
  class Page {
    @Test
    void showsTheFiguresOfTheChosenAreaWithChartsAndTables() {
      ReportPageFixtures.Area area = ReportPageFixtures.area("Page & <Test> Ward", 1000L);
      Instant jan = Instant.parse("2004-01-10T10:00:00Z");
      Instant feb = Instant.parse("2004-02-15T10:00:00Z");
      Instant mar = Instant.parse("2004-03-31T23:59:59Z");
      for (int i = 0; i < 3; i++) {
        ReportPageFixtures.account(ledger, transactions, area, jan, jan, null);
      }
      ReportPageFixtures.account(ledger, transactions, area, feb, null, mar);
      ReportPageFixtures.account(ledger, transactions, area, mar, mar, null);

      Portal.Response page =
          get(
              "/reports/uptake?from=2004-01-01&to=2004-03-31&interval=month&area=" + area.code(),
              managerSession);

      assertThat(page.status()).isEqualTo(200);
      assertThat(page.contentType()).startsWith("text/html");
      String body = page.body();
      assertThat(body)
          .contains("<title>Account uptake - Council account</title>")
          .contains("Page &amp; &lt;Test&gt; Ward")
          .doesNotContain("<Test>")
          .contains("data-figure=\"totalAccounts\">4<")
          .contains("data-figure=\"verifiedAccounts\">4<")
          .contains("data-figure=\"deletedAccounts\">1<")
          .contains("data-figure=\"uptakePercent\">0.4%<")
          .contains("data-figure=\"activeAccounts7d\">Unknown<")
          .contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"portal-chart\"")
          .contains("role=\"img\"")
          .contains("aria-labelledby=\"chart-totals-title chart-totals-desc\"")
          .contains("<title id=\"chart-new-title\">New accounts in each month</title>")
          .contains(
              "href=\"/reports/uptake.csv?from=2004-01-01&amp;to=2004-03-31&amp;interval=month&amp;area="
                  + area.code()
                  + "\"")
          .doesNotContain("<script")
          .doesNotContain("style=");
      // The series tables: 2004-01 3 new (3 in all), 2004-02 1 (4), 2004-03 1 (4: one erased).
      assertThat(body.replaceAll("\\s+", " "))
          .contains(
              "2004-01</th> <td class=\"govuk-table__cell\">31 January 2004</td> <td class=\"govuk-table__cell govuk-table__cell--numeric\">3</td>")
          .contains(
              "2004-03</th> <td class=\"govuk-table__cell\">31 March 2004</td> <td class=\"govuk-table__cell govuk-table__cell--numeric\">4</td>")
          .contains(
              "2004-02</th> <td class=\"govuk-table__cell\">1 February 2004 to 29 February 2004</td> <td class=\"govuk-table__cell govuk-table__cell--numeric\">1</td>");
      assertThat(page.header("content-security-policy")).contains("default-src 'none'");
      assertThat(page.header("cache-control")).isEqualTo("no-store");
    }

    @Test
    void showsUnknownUptakeForAnAreaWithoutPopulation() {
      ReportPageFixtures.Area area = ReportPageFixtures.area("No Population Ward", null);
      ReportPageFixtures.account(
          ledger, transactions, area, Instant.parse("2005-06-01T00:00:00Z"), null, null);

      String body =
          get("/reports/uptake?from=2005-06-01&to=2005-06-30&area=" + area.code(), managerSession)
              .body();

      assertThat(body).contains("data-figure=\"uptakePercent\">Unknown<");
      assertThat(body.replaceAll("\\s+", " "))
          .contains(
              "Unknown </td> <td class=\"govuk-table__cell govuk-table__cell--numeric\">Unknown</td>");
    }

    @Test
    void downloadsTheSeriesAsCsvInTheSameSession() {
      ReportPageFixtures.Area area = ReportPageFixtures.area("Csv Ward", 10L);
      ReportPageFixtures.account(
          ledger, transactions, area, Instant.parse("2006-02-28T12:00:00Z"), null, null);

      Portal.Response csv =
          get(
              "/reports/uptake.csv?from=2006-02-27&to=2006-03-01&interval=day&area=" + area.code(),
              managerSession);

      assertThat(csv.status()).isEqualTo(200);
      assertThat(csv.contentType()).isEqualTo("text/csv; charset=utf-8");
      assertThat(csv.header("content-disposition"))
          .isEqualTo(
              "attachment; filename=\"uptake-2006-02-27-to-2006-03-01-by-day-"
                  + area.code()
                  + ".csv\"");
      assertThat(csv.header("cache-control")).isEqualTo("no-store");
      assertThat(csv.body())
          .isEqualTo(
              "period,start,end,new_accounts,total_accounts\r\n"
                  + "2006-02-27,2006-02-27,2006-02-27,0,0\r\n"
                  + "2006-02-28,2006-02-28,2006-02-28,1,1\r\n"
                  + "2006-03-01,2006-03-01,2006-03-01,0,1\r\n");
    }

    @Test
    void showsTheFormWithAnErrorSummaryForABadDate() {
      Portal.Response page =
          get("/reports/uptake?from=2019-02-30&to=2019-03-31&interval=month", managerSession);

      assertThat(page.status()).isEqualTo(400);
      assertThat(page.contentType()).startsWith("text/html");
      String body = page.body();
      assertThat(body)
          .contains("<title>Error: Account uptake - Council account</title>")
          .contains("class=\"govuk-error-summary\"")
          .contains("<a href=\"#from\">Start date must be a real date, like 2019-02-28</a>")
          .contains("id=\"from-error\"")
          .contains("aria-invalid=\"true\"")
          .contains("value=\"2019-02-30\"")
          .doesNotContain("data-figure");
    }

    @Test
    void namesEachWrongFieldInTheSummary() {
      assertThat(get("/reports/uptake?from=2019-03-02&to=2019-03-01", managerSession).body())
          .contains("<a href=\"#from\">Start date must be the same as or before the end date</a>");
      assertThat(get("/reports/uptake?to=20190301", managerSession).body())
          .contains("<a href=\"#to\">End date must be a real date, like 2019-02-28</a>");
      Portal.Response interval = get("/reports/uptake?interval=year", managerSession);
      assertThat(interval.status()).isEqualTo(400);
      assertThat(interval.body())
          .contains("<a href=\"#interval\">Interval must be day, week or month</a>");
      Portal.Response area = get("/reports/uptake?area=NOWHERE1", managerSession);
      assertThat(area.status()).isEqualTo(400);
      assertThat(area.body())
          .contains("<a href=\"#area\">Select an area from the list</a>")
          .contains("<option value=\"NOWHERE1\" selected=\"selected\">NOWHERE1</option>");
      Portal.Response csv = get("/reports/uptake.csv?from=x", managerSession);
      assertThat(csv.status()).isEqualTo(400);
      assertThat(csv.body()).contains("<a href=\"#from\">");
    }

    @Test
    void refusesMorePeriodsThanThePageDrawsAndRepeatedParameters() {
      Portal.Response many =
          get("/reports/uptake?from=2003-01-01&to=2004-12-31&interval=day", managerSession);
      assertThat(many.status()).isEqualTo(400);
      assertThat(many.body())
          .contains("<a href=\"#interval\">Interval gives more than 400 periods for the page")
          .doesNotContain("data-figure");
      // The CSV has every period.
      assertThat(
              get("/reports/uptake.csv?from=2003-01-01&to=2004-12-31&interval=day", managerSession)
                  .status())
          .isEqualTo(200);
      Portal.Response repeated = get("/reports/uptake?interval=month&interval=day", managerSession);
      assertThat(repeated.status()).isEqualTo(400);
      assertThat(repeated.body()).contains("<a href=\"#interval\">");
    }

    @Test
    void escapesWhatWasTypedBackIntoTheForm() {
      Portal.Response page =
          get("/reports/uptake?from=%22%3E%3Cscript%3Ex%3C%2Fscript%3E", managerSession);

      assertThat(page.status()).isEqualTo(400);
      assertThat(page.body()).doesNotContain("<script>").contains("&quot;&gt;&lt;script&gt;");
    }
  }
}
