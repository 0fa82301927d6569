package io.parley.saga.retention;

import io.parley.api.privacy.DataCategory;
import java.time.YearMonth;

/**
 * The port through which retention destroys personal data: data keys are per subject, category and
 * month (crypto-shredding), so destroying a month's keys destroys that month's data. Implemented in
 * {@code infra} by the data key store.
 */
public interface RetentionKeyShredder {

  /**
   * Destroys every key of {@code category} for months before {@code firstKeptMonth}; keys of data
   * that never expires are kept. Returns the number destroyed (0 when there was nothing to do).
   */
  int destroyExpired(DataCategory category, YearMonth firstKeptMonth);
}
