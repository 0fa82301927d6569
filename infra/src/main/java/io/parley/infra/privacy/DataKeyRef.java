package io.parley.infra.privacy;

import io.parley.api.privacy.DataCategory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * Names one data key: whose data, which category, which month. Categories that never expire use the
 * single period {@code 0000-00}.
 */
record DataKeyRef(String subjectId, DataCategory category, String period) {

  static final String TIMELESS = "0000-00";

  static DataKeyRef of(String subjectId, DataCategory category, Instant datedAt) {
    String period =
        category.expires() ? YearMonth.from(datedAt.atZone(ZoneOffset.UTC)).toString() : TIMELESS;
    return new DataKeyRef(subjectId, category, period);
  }

  /** Associated data for a field encrypted under this key: moving ciphertext elsewhere fails. */
  byte[] fieldAad() {
    return ("pd1|" + subjectId + "|" + category + "|" + period).getBytes(StandardCharsets.UTF_8);
  }

  /** Associated data for the wrapped key itself. */
  byte[] keyAad() {
    return ("dk1|" + subjectId + "|" + category + "|" + period).getBytes(StandardCharsets.UTF_8);
  }
}
