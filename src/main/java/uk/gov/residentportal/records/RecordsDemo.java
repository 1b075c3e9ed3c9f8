package uk.gov.residentportal.records;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import uk.gov.residentportal.account.AccountService;

/**
 * Fills an empty embedded database with a realistic demo (README, "Demo data"): residents with
 * council tax accounts linked, records across categories from several back-office systems, bills as
 * PDF documents, and residents not yet linked whose one-time codes are printed. Run by {@code java
 * -jar resident-portal.jar --demo-data} ({@link uk.gov.residentportal.DemoDataCommand}); it refuses
 * any database but the embedded default unless told otherwise, and any database that already holds
 * accounts or records.
 */
@Singleton
public class RecordsDemo {
  /** Every demo resident's password (printed; the demo is for laptops, never production). */
  public static final String PASSWORD = "demo resident password";

  private static final String[] GIVEN = {
    "Aisha", "Ben", "Chloe", "Dev", "Ewa", "Farah", "George", "Hannah", "Imran", "Jas", "Kofi",
    "Lily", "Mohammed", "Nia", "Oliver", "Priya", "Rosa", "Sam", "Tomasz", "Uma", "Vik", "Wen",
    "Yusuf", "Zara"
  };
  private static final String[] FAMILY = {
    "Patel", "Smith", "Khan", "Jones", "Mistry", "Brown", "Kaur", "Taylor", "Nowak", "Williams",
    "Chauhan", "Wilson", "Ahmed", "Evans", "Lad", "Thomas", "Begum", "Roberts", "Parmar", "Walker"
  };
  private static final String[] POSTCODES = {
    "LE1 5WW", "LE1 7RH", "LE2 0JJ", "LE2 7LX", "LE3 0QP", "LE3 9QP", "LE4 5PW", "LE4 9HA",
    "LE5 4PW", "LE5 6LN"
  };
  private static final String[] BANDS = {"A", "B", "C", "D", "E"};

  private final AccountService accounts;
  private final RecordIngestion ingestion;
  private final RecordDocuments documents;
  private final Linking linking;
  private final LinkCodes codes;
  private final RecordRepository records;
  private final Clock clock;
  private final String datasourceUrl;

  RecordsDemo(
      AccountService accounts,
      RecordIngestion ingestion,
      RecordDocuments documents,
      Linking linking,
      LinkCodes codes,
      RecordRepository records,
      Clock clock,
      @Value("${datasources.default.url:}") String datasourceUrl) {
    this.accounts = accounts;
    this.ingestion = ingestion;
    this.documents = documents;
    this.linking = linking;
    this.codes = codes;
    this.records = records;
    this.clock = clock;
    this.datasourceUrl = datasourceUrl;
  }

  public static final String NOT_EMBEDDED =
      "the demo fills only the embedded default database (./data/); this service is configured"
          + " for another database (DATASOURCES_DEFAULT_URL). If that database really is a"
          + " throw-away one, add --allow-external-database.";

  /** An H2 database in this process (a file or memory), never a server reached over a network. */
  public static boolean embedded(String url) {
    return url.startsWith("jdbc:h2:file:") || url.startsWith("jdbc:h2:mem:");
  }

  /** Why the demo must not run here, or null when it may. */
  public String refusal(boolean allowExternalDatabase) {
    if (!embedded(datasourceUrl) && !allowExternalDatabase) {
      return NOT_EMBEDDED;
    }
    if (accounts.anyAccountExists() || records.count() > 0) {
      return "the database already holds accounts or records, and the demo runs only on an empty"
          + " one. For a fresh embedded demo, stop the service and move ./data/ aside.";
    }
    return null;
  }

  /** A demo resident as printed for the newcomer. */
  public record Printed(String email, String reference, String postcode, String code) {}

  /**
   * Writes {@code residents} residents, linking all but the last {@code unlinked}, and prints what
   * a newcomer needs to {@code out}.
   */
  public List<Printed> write(int residents, int unlinked, PrintStream out) throws Exception {
    Random random = new Random(2017); // the same demo every time, apart from ids and codes
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    List<Resident> people = new ArrayList<>();
    for (int i = 1; i <= residents; i++) {
      String given = GIVEN[random.nextInt(GIVEN.length)];
      String family = FAMILY[random.nextInt(FAMILY.length)];
      people.add(
          new Resident(
              i,
              String.format(Locale.ROOT, "resident%03d@demo.example.org", i),
              given,
              family,
              POSTCODES[random.nextInt(POSTCODES.length)],
              String.format(Locale.ROOT, "6%07d", 1_000_000 + i * 37),
              LocalDate.of(
                  1940 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28)),
              random.nextLong()));
    }
    // Accounts first, two at a time: each is one Argon2id hash.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (Resident r : people) {
        ids.add(
            pool.submit(
                () ->
                    accounts.createVerifiedForDemo(
                        new AccountService.DemoResident(
                            r.email, PASSWORD, r.given, r.family, r.postcode, r.born))));
      }
      for (int i = 0; i < people.size(); i++) {
        people.get(i).accountId = ids.get(i).get();
      }
    } finally {
      pool.shutdown();
    }
    int recordCount = 0;
    int documentCount = 0;
    for (Resident r : people) {
      Random own = new Random(r.seed);
      List<Demo> demo = recordsOf(r, own, now);
      for (Demo d : demo) {
        ingestion.upsert(d.system, d.system, d.externalRef, d.body);
        recordCount++;
        if (d.document != null) {
          documents.put(d.system, d.system, d.externalRef, d.documentName, d.document);
          documentCount++;
        }
      }
    }
    List<Printed> printed = new ArrayList<>();
    int linked = 0;
    for (int i = 0; i < people.size(); i++) {
      Resident r = people.get(i);
      if (i < people.size() - unlinked) {
        linking.link(
            r.accountId, new LinkBodies.LinkRequest("COUNCIL_TAX", r.reference, r.postcode, null));
        linked++;
        if (printed.size() < 5) {
          printed.add(new Printed(r.email, r.reference, r.postcode, null));
        }
      } else {
        var code =
            codes.issue(
                "COUNCIL_TAX", new LinkBodies.LinkCodeRequest("COUNCIL_TAX_ACCOUNT", r.reference));
        printed.add(new Printed(r.email, r.reference, r.postcode, code.code()));
      }
    }
    out.printf(
        Locale.ROOT,
        "Demo data written: %d residents (%d linked to their council tax account), %d records,"
            + " %d documents.%n%nEvery demo resident's password: %s%n%nLinked residents (sign in"
            + " and see their records):%n",
        residents,
        linked,
        recordCount,
        documentCount,
        PASSWORD);
    printed.stream()
        .filter(p -> p.code() == null)
        .forEach(p -> out.printf(Locale.ROOT, "  %s%n", p.email()));
    out.printf(
        Locale.ROOT,
        "%nResidents not linked yet: link with POST /api/v1/me/links {\"code\": ...} using the"
            + " one-time code from their letter, or {\"type\": \"COUNCIL_TAX\", \"reference\","
            + " \"postcode\"}:%n");
    printed.stream()
        .filter(p -> p.code() != null)
        .forEach(
            p ->
                out.printf(
                    Locale.ROOT,
                    "  %-32s code %s   council tax account %s, %s%n",
                    p.email(),
                    p.code(),
                    p.reference(),
                    p.postcode()));
    return printed;
  }

  private static final class Resident {
    final int number;
    final String email;
    final String given;
    final String family;
    final String postcode;
    final String reference;
    final LocalDate born;
    final long seed;
    String accountId;

    Resident(
        int number,
        String email,
        String given,
        String family,
        String postcode,
        String reference,
        LocalDate born,
        long seed) {
      this.number = number;
      this.email = email;
      this.given = given;
      this.family = family;
      this.postcode = postcode;
      this.reference = reference;
      this.born = born;
      this.seed = seed;
    }
  }

  private record Demo(
      String system, String externalRef, RecordUpsert body, String documentName, byte[] document) {}

  private static List<Demo> recordsOf(Resident r, Random random, Instant now) {
    List<Demo> out = new ArrayList<>();
    String band = BANDS[random.nextInt(BANDS.length)];
    String subject = r.reference;
    for (int year : new int[] {2025, 2026}) {
      String period = year + "/" + (year + 1 - 2000);
      Instant issued = LocalDate.of(year, 3, 10).atStartOfDay().toInstant(ZoneOffset.UTC);
      if (issued.isAfter(now)) {
        issued = now.minus(Duration.ofDays(1));
      }
      int amount = 1400 + random.nextInt(900);
      out.add(
          new Demo(
              "COUNCIL_TAX",
              "BILL-" + r.reference + "-" + year,
              upsert(
                  subject,
                  r.postcode,
                  "COUNCIL_TAX",
                  "Council tax bill " + period,
                  "Issued",
                  "Band " + band + ". Annual charge £" + amount + ", 10 monthly instalments.",
                  true,
                  "P1",
                  issued),
              "council-tax-bill-" + year + ".pdf",
              pdf(
                  "Council tax bill " + period,
                  "Account " + r.reference + ", band " + band + ", annual charge GBP " + amount)));
    }
    out.add(
        demo(
            "WASTE",
            "BINS-" + r.reference,
            upsert(
                subject,
                null,
                "WASTE",
                "Bin collections",
                "Active",
                "Recycling and general waste every other "
                    + List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
                        .get(random.nextInt(5))
                    + ".",
                true,
                "P1",
                now.minus(Duration.ofDays(30 + random.nextInt(300))))));
    if (random.nextInt(3) == 0) {
      out.add(
          demo(
              "PARKING",
              "PERMIT-" + r.reference,
              upsert(
                  subject,
                  null,
                  "PARKING",
                  "Resident parking permit",
                  random.nextBoolean() ? "Active" : "Renewal due",
                  "Zone " + (char) ('A' + random.nextInt(6)) + ", one vehicle.",
                  true,
                  "P1",
                  now.minus(Duration.ofDays(random.nextInt(200))))));
    }
    if (random.nextInt(4) == 0) {
      out.add(
          demo(
              "LIBRARY",
              "LOANS-" + r.reference,
              upsert(
                  subject,
                  null,
                  "LIBRARY",
                  "Library loans",
                  (1 + random.nextInt(4)) + " items on loan",
                  "Due back within three weeks.",
                  true,
                  "P1",
                  now.minus(Duration.ofDays(random.nextInt(21))))));
    }
    if (random.nextInt(5) == 0) {
      out.add(
          demo(
              "BENEFITS",
              "CTR-" + r.reference,
              upsert(
                  subject,
                  null,
                  "BENEFITS",
                  "Council tax reduction",
                  "Awarded",
                  "25% single person discount.",
                  true,
                  "P1",
                  now.minus(Duration.ofDays(60 + random.nextInt(400))))));
    }
    if (random.nextInt(6) == 0) {
      out.add(
          demo(
              "HOUSING",
              "REPAIR-" + r.reference,
              upsert(
                  subject,
                  null,
                  "HOUSING",
                  "Repair request: kitchen tap",
                  "Appointment booked",
                  "A plumber will visit between 8am and 1pm.",
                  true,
                  "P1",
                  now.minus(Duration.ofDays(random.nextInt(14))))));
    }
    if (random.nextInt(10) == 0) {
      // Needs P2 (identity checked by the council): a P1 resident does not see it.
      out.add(
          demo(
              "SOCIAL_CARE",
              "ASSESS-" + r.reference,
              upsert(
                  subject,
                  null,
                  "SOCIAL_CARE",
                  "Care needs assessment",
                  "Completed",
                  "Assessment completed; support plan agreed.",
                  true,
                  "P2",
                  now.minus(Duration.ofDays(random.nextInt(500))))));
    }
    // A record the council keeps but does not show residents.
    out.add(
        demo(
            "COUNCIL_TAX",
            "NOTE-" + r.reference,
            upsert(
                subject,
                null,
                "COUNCIL_TAX",
                "Internal note",
                "Closed",
                "Recovery action reviewed.",
                false,
                "P1",
                now.minus(Duration.ofDays(random.nextInt(700))))));
    return out;
  }

  private static Demo demo(String system, String externalRef, RecordUpsert body) {
    return new Demo(system, externalRef, body, null, null);
  }

  private static RecordUpsert upsert(
      String councilTaxRef,
      String postcode,
      String category,
      String title,
      String status,
      String summary,
      boolean visible,
      String minAssurance,
      Instant updatedAt) {
    return new RecordUpsert(
        "COUNCIL_TAX_ACCOUNT",
        councilTaxRef,
        postcode,
        category,
        title,
        status,
        summary,
        visible,
        false,
        minAssurance,
        updatedAt.atOffset(ZoneOffset.UTC).toString());
  }

  /** A one-page PDF with two lines of text: a real file a PDF reader opens. */
  static byte[] pdf(String heading, String line) {
    String stream =
        "BT /F1 18 Tf 72 720 Td ("
            + escape(heading)
            + ") Tj 0 -28 Td /F1 11 Tf ("
            + escape(line)
            + ") Tj ET";
    List<String> objects =
        List.of(
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                + " /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(pdf.length());
      pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
    }
    int xref = pdf.length();
    pdf.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
    for (int offset : offsets) {
      pdf.append(String.format(Locale.ROOT, "%010d 00000 n \n", offset));
    }
    pdf.append("trailer\n<< /Size ")
        .append(objects.size() + 1)
        .append(" /Root 1 0 R >>\nstartxref\n")
        .append(xref)
        .append("\n%%EOF\n");
    return pdf.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
  }
}
