package io.parley.infra;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/** Dev mode is every profile but {@code prod} (ADR 0005). */
public final class ParleyModes {

  public static final String PROD = "prod";

  private ParleyModes() {}

  public static boolean isProd(Environment environment) {
    return environment.acceptsProfiles(Profiles.of(PROD));
  }
}
