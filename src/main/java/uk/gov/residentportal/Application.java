package uk.gov.residentportal;

import io.micronaut.runtime.Micronaut;

/** Starts Resident Portal. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    Micronaut.build(args).banner(false).start();
  }
}
