package io.parley.saga.retention;

import io.parley.api.privacy.DataCategory;
import java.time.Duration;

/** How long each category of personal data that expires is kept (configuration, in infra). */
public interface RetentionPeriods {

  /** The retention period of {@code category}; only asked for categories that expire. */
  Duration periodOf(DataCategory category);
}
