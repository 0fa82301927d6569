package io.parley.infra.privacy;

import io.parley.api.privacy.DataCategory;
import io.parley.saga.retention.RetentionPeriods;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long each kind of personal data is kept ({@code parley.retention.*}), and how often the sweep
 * runs. Keys are per month, so data is destroyed between its retention period and one month later
 * (ADR 0007).
 */
@ConfigurationProperties("parley.retention")
public record RetentionProperties(
    @DefaultValue("P365D") Duration messages,
    @DefaultValue("P30D") Duration blockedMessages,
    @DefaultValue("P90D") Duration flagEvidence,
    @DefaultValue("PT1H") Duration sweepInterval)
    implements RetentionPeriods {

  @Override
  public Duration periodOf(DataCategory category) {
    return switch (category) {
      case MESSAGE -> messages;
      case BLOCKED_MESSAGE -> blockedMessages;
      case FLAG_EVIDENCE -> flagEvidence;
      case PROFILE -> throw new IllegalArgumentException("PROFILE data does not expire");
    };
  }
}
