package io.parley.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.error.InvalidInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How {@code asOf} is read: an ISO-8601 instant, required. */
class AuditConversationStateControllerTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void parseAsOf_acceptsAnInstantInUtcOrWithAnOffset() {
    assertThat(AuditConversationStateController.parseAsOf("2026-12-01T09:15:02.481Z"))
        .isEqualTo(Instant.parse("2026-12-01T09:15:02.481Z"));
    assertThat(AuditConversationStateController.parseAsOf("2026-12-01T10:15:02+01:00"))
        .isEqualTo(Instant.parse("2026-12-01T09:15:02Z"));
    assertThat(AuditConversationStateController.parseAsOf(NOW.toString())).isEqualTo(NOW);
  }

  @Test
  void parseAsOf_rejectsMissingAndMalformedInstants_namingAsOf() {
    for (String bad :
        new String[] {
          null,
          "",
          " ",
          "yesterday",
          "2026-12-01",
          "2026-12-01T09:15:02",
          "1733043302",
          "2026-12-01T09:15:02+0100",
          "2026-13-01T09:15:02Z"
        }) {
      assertThatThrownBy(() -> AuditConversationStateController.parseAsOf(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.problems()).extracting(p -> p.field()).containsExactly("asOf"));
    }
  }
}
