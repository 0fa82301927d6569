package io.parley.api.subject;

import java.time.Instant;
import java.util.List;

public record ConsentsView(List<Consent> consents, List<Consent> history) {

  /** One purpose's state; {@code policyVersion} and {@code changedAt} are null if never set. */
  public record Consent(
      ConsentPurpose purpose, boolean granted, String policyVersion, Instant changedAt) {}
}
