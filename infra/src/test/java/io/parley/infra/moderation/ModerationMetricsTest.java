package io.parley.infra.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.ToxicityScores;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Counters move once per published event, only once its unit of work has committed. */
class ModerationMetricsTest {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  final MeterRegistry meters = new SimpleMeterRegistry();
  final EventBus eventBus = SimpleEventBus.builder().build();
  final ModerationMetrics metrics = new ModerationMetrics(meters, eventBus);

  @AfterEach
  void tearDown() {
    metrics.destroy();
  }

  @Test
  void countsVerdictsFlagsAndResolutionsAfterCommit() {
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    eventBus.publish(
        GenericEventMessage.asEventMessage(sent(Verdict.ALLOWED)),
        GenericEventMessage.asEventMessage(sent(Verdict.WARNED)),
        GenericEventMessage.asEventMessage(autoFlag()),
        GenericEventMessage.asEventMessage(blocked()),
        GenericEventMessage.asEventMessage(resolved(FlagOutcome.UPHELD)));
    assertThat(verdicts("ALLOWED")).isZero(); // not before the commit
    unitOfWork.commit();

    assertThat(verdicts("ALLOWED")).isEqualTo(1);
    assertThat(verdicts("WARNED")).isEqualTo(1);
    assertThat(verdicts("BLOCKED")).isEqualTo(1);
    assertThat(meters.get("parley.moderation.flags.raised").tag("source", "AUTO").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("parley.moderation.flags.raised").tag("source", "USER").counter().count())
        .isZero();
    var resolution =
        meters.get("parley.moderation.flags.resolution").tag("outcome", "UPHELD").timer();
    assertThat(resolution.count()).isEqualTo(1);
    assertThat(resolution.totalTime(TimeUnit.MINUTES)).isEqualTo(5);
  }

  @Test
  void aRolledBackUnitOfWorkCountsNothing() {
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    eventBus.publish(GenericEventMessage.asEventMessage(sent(Verdict.ALLOWED)));
    unitOfWork.rollback();
    assertThat(verdicts("ALLOWED")).isZero();
  }

  @Test
  void stopsCountingOnceDestroyed() {
    metrics.destroy();
    eventBus.publish(GenericEventMessage.asEventMessage(sent(Verdict.ALLOWED)));
    assertThat(verdicts("ALLOWED")).isZero();
  }

  private double verdicts(String verdict) {
    return meters.get("parley.moderation.verdicts").tag("verdict", verdict).counter().count();
  }

  private static MessageSentEvent sent(Verdict verdict) {
    return new MessageSentEvent(
        UUID.randomUUID(),
        UUID.randomUUID(),
        1,
        "alice",
        "hello",
        verdict,
        BigDecimal.ZERO,
        ToxicityScores.NONE,
        "builtin-lexicon",
        NOW);
  }

  private static MessageBlockedEvent blocked() {
    return new MessageBlockedEvent(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "alice",
        "blocked text",
        ToxicityScores.NONE,
        "builtin-lexicon",
        NOW);
  }

  private static FlagRaisedAutomaticallyEvent autoFlag() {
    return new FlagRaisedAutomaticallyEvent(
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        "alice",
        new BigDecimal("0.700"),
        "builtin-lexicon",
        NOW);
  }

  private static FlagResolvedEvent resolved(FlagOutcome outcome) {
    return new FlagResolvedEvent(
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        outcome,
        "mia",
        NOW,
        NOW.plusSeconds(300));
  }
}
