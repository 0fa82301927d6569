package io.parley.command.card;

import io.parley.api.card.CardContent;
import io.parley.api.card.CardFailedEvent;
import io.parley.api.card.CardFailureReason;
import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardProviderCalledEvent;
import io.parley.api.card.CompleteCardCommand;
import io.parley.api.card.FailCardCommand;
import io.parley.api.card.ProviderCall;
import io.parley.api.card.ProviderCallOutcome;
import io.parley.api.card.Rarity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CardAggregateTest {

  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  static final UUID CARD = UUID.fromString("0d6f3f0e-6a1b-4b8f-9d0e-3c5a7b9e1f20");
  static final UUID CONVERSATION = UUID.fromString("3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41");

  AggregateTestFixture<CardAggregate> fixture;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(CardAggregate.class);
    fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static CardContent content() {
    return new CardContent(
        Rarity.RARE,
        0.5,
        0.8,
        "Lake day",
        "What a wonderful day at the lake.",
        List.of("alice", "bob"),
        3,
        "ab".repeat(32),
        "<svg/>",
        "openai",
        "gpt-test",
        null,
        null);
  }

  static ProviderCall call(ProviderCallOutcome outcome) {
    return new ProviderCall(
        UUID.fromString("11111111-2222-3333-4444-555555555555"),
        "openai",
        "gpt-test",
        "cd".repeat(32),
        120,
        outcome,
        100,
        20,
        1,
        NOW);
  }

  static CardGeneratedEvent generated() {
    CardContent c = content();
    return new CardGeneratedEvent(
        CARD,
        CONVERSATION,
        c.rarity(),
        c.polarity(),
        c.confidence(),
        c.title(),
        c.caption(),
        c.contributorIds(),
        c.messageCount(),
        c.windowHash(),
        c.artworkSvg(),
        c.provider(),
        c.model(),
        null,
        null,
        NOW);
  }

  @Test
  void complete_recordsTheProviderCallsThenTheCard() {
    ProviderCall limited = call(ProviderCallOutcome.RATE_LIMITED);
    ProviderCall success = call(ProviderCallOutcome.SUCCESS);
    fixture
        .givenNoPriorActivity()
        .when(new CompleteCardCommand(CARD, CONVERSATION, content(), List.of(limited, success)))
        .expectEvents(
            new CardProviderCalledEvent(CARD, CONVERSATION, limited),
            new CardProviderCalledEvent(CARD, CONVERSATION, success),
            generated());
  }

  @Test
  void fail_recordsTheCallsTriedThenTheFailure() {
    ProviderCall timeout = call(ProviderCallOutcome.TIMEOUT);
    fixture
        .givenNoPriorActivity()
        .when(
            new FailCardCommand(
                CARD, CONVERSATION, CardFailureReason.PROVIDER_FAILED, List.of(timeout)))
        .expectEvents(
            new CardProviderCalledEvent(CARD, CONVERSATION, timeout),
            new CardFailedEvent(CARD, CONVERSATION, CardFailureReason.PROVIDER_FAILED, NOW));
  }

  @Test
  void aMadeCard_isNotFailedByALateTimeout() {
    fixture
        .given(generated())
        .when(new FailCardCommand(CARD, CONVERSATION, CardFailureReason.TIMED_OUT, List.of()))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  @Test
  void aFailedCard_isNotMadeByALateAnswer() {
    fixture
        .given(new CardFailedEvent(CARD, CONVERSATION, CardFailureReason.TIMED_OUT, NOW))
        .when(
            new CompleteCardCommand(
                CARD, CONVERSATION, content(), List.of(call(ProviderCallOutcome.SUCCESS))))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  @Test
  void aSecondReport_isIgnored() {
    fixture
        .given(generated())
        .when(new CompleteCardCommand(CARD, CONVERSATION, content(), List.of()))
        .expectNoEvents();
  }
}
