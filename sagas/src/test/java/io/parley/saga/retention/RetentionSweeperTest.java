package io.parley.saga.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetentionSweeperTest {

  static final Instant NOW = Instant.parse("2026-12-15T10:00:00Z");

  final Map<DataCategory, YearMonth> asked = new EnumMap<>(DataCategory.class);
  final Map<DataCategory, Integer> keysToDestroy = new EnumMap<>(DataCategory.class);
  final List<Object> published = new ArrayList<>();
  RetentionSweeper sweeper;

  @BeforeEach
  void sweeper() {
    RetentionKeyShredder keys =
        (category, firstKept) -> {
          asked.put(category, firstKept);
          return keysToDestroy.getOrDefault(category, 0);
        };
    RetentionPeriods periods =
        category ->
            switch (category) {
              case MESSAGE -> Duration.ofDays(365);
              case BLOCKED_MESSAGE -> Duration.ofDays(30);
              case FLAG_EVIDENCE -> Duration.ofDays(90);
              case PROFILE -> throw new AssertionError("PROFILE does not expire");
            };
    SimpleEventBus bus = SimpleEventBus.builder().build();
    bus.subscribe(
        messages -> messages.stream().map(EventMessage::getPayload).forEach(published::add));
    sweeper =
        new RetentionSweeper(
            keys,
            periods,
            DefaultEventGateway.builder().eventBus(bus).build(),
            NoTransactionManager.INSTANCE,
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void sweep_keepsTheMonthHoldingNowMinusTheRetentionPeriod_andEveryLaterOne() {
    sweeper.sweep();

    // 2026-12-15 − 365 d = 2025-12-15: December 2025 is kept, November 2025 and earlier go.
    assertThat(asked)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                DataCategory.MESSAGE, YearMonth.of(2025, 12),
                DataCategory.BLOCKED_MESSAGE, YearMonth.of(2026, 11),
                DataCategory.FLAG_EVIDENCE, YearMonth.of(2026, 9)));
  }

  @Test
  void sweep_recordsAnEventOnlyForCategoriesWhoseKeysWereDestroyed() {
    keysToDestroy.put(DataCategory.BLOCKED_MESSAGE, 3);

    List<RetentionSweptEvent> recorded = sweeper.sweep();

    RetentionSweptEvent expected =
        new RetentionSweptEvent(
            DataCategory.BLOCKED_MESSAGE, Instant.parse("2026-11-01T00:00:00Z"), 3, NOW);
    assertThat(recorded).containsExactly(expected);
    assertThat(published).containsExactly(expected);
  }

  @Test
  void sweep_whenNothingExpired_recordsNothing() {
    assertThat(sweeper.sweep()).isEmpty();
    assertThat(published).isEmpty();
  }
}
