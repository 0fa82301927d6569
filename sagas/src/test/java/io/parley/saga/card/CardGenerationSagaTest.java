package io.parley.saga.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.parley.api.card.CardContent;
import io.parley.api.card.CardFailedEvent;
import io.parley.api.card.CardFailureReason;
import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardRequestedEvent;
import io.parley.api.card.CardTrigger;
import io.parley.api.card.CardWindow;
import io.parley.api.card.CardWindowMessage;
import io.parley.api.card.CompleteCardCommand;
import io.parley.api.card.FailCardCommand;
import io.parley.api.card.FetchCardWindowQuery;
import io.parley.api.card.ProviderCall;
import io.parley.api.card.ProviderCallOutcome;
import io.parley.api.card.Rarity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;

class CardGenerationSagaTest {

  static final UUID CARD = UUID.fromString("0d6f3f0e-6a1b-4b8f-9d0e-3c5a7b9e1f20");
  static final UUID CONVERSATION = UUID.fromString("3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41");
  static final Duration TIMEOUT = Duration.ofMinutes(2);
  static final Duration RETRY = Duration.ofSeconds(1);
  static final List<CardWindowMessage> MESSAGES =
      List.of(
          new CardWindowMessage(UUID.randomUUID(), "alice", 1, "What a day!", false),
          new CardWindowMessage(UUID.randomUUID(), "bob", 2, "Loved it.", true));

  SagaTestFixture<CardGenerationSaga> fixture;
  QueryGateway queries;
  List<CardWindow> windows;
  List<FetchCardWindowQuery> asked;
  List<CardOrder> orders;
  CompletableFuture<CardOutcome> outcome;
  Instant now;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void setUp() {
    fixture = new SagaTestFixture<>(CardGenerationSaga.class);
    now = fixture.currentTime();
    windows = new ArrayList<>();
    asked = new ArrayList<>();
    orders = new ArrayList<>();
    outcome = new CompletableFuture<>();
    queries = mock(QueryGateway.class);
    when(queries.query(
            any(FetchCardWindowQuery.class), ArgumentMatchers.<ResponseType<CardWindow>>any()))
        .thenAnswer(
            invocation -> {
              asked.add(invocation.getArgument(0));
              return CompletableFuture.completedFuture(windows.remove(0));
            });
    CardMaker maker =
        order -> {
          orders.add(order);
          return outcome;
        };
    fixture.registerResource(queries);
    fixture.registerResource(maker);
    fixture.registerResource(new CardGenerationSettings(TIMEOUT, RETRY));
  }

  CardRequestedEvent requested() {
    return new CardRequestedEvent(
        CARD, CONVERSATION, 1, CardTrigger.REQUESTED, "alice", 10, 60, now);
  }

  static CardContent content() {
    return new CardContent(
        Rarity.COMMON,
        0.4,
        0.7,
        "A day",
        "What a day!",
        List.of("alice", "bob"),
        2,
        "ab".repeat(32),
        "<svg/>",
        "builtin",
        null,
        null,
        null);
  }

  @Test
  void onRequest_schedulesItsTimeout_asksForTheWindow_andOrdersTheCard() {
    windows.add(new CardWindow(true, MESSAGES));
    fixture
        .givenNoPriorActivity()
        .whenPublishingA(requested())
        .expectActiveSagas(1)
        .expectScheduledDeadlineWithName(TIMEOUT, CardGenerationSaga.TIMEOUT)
        .expectNoDispatchedCommands();
    assertThat(asked).containsExactly(new FetchCardWindowQuery(CONVERSATION, 10, 60));
    assertThat(orders).containsExactly(new CardOrder(CARD, CONVERSATION, MESSAGES));
  }

  @Test
  void aMadeCard_isSentToTheCard_withItsProviderCalls() {
    windows.add(new CardWindow(true, MESSAGES));
    ProviderCall call =
        new ProviderCall(
            UUID.randomUUID(),
            "openai",
            "m",
            "cd".repeat(32),
            80,
            ProviderCallOutcome.SUCCESS,
            10,
            5,
            1,
            now);
    outcome.complete(new CardOutcome.Made(content(), List.of(call)));
    fixture
        .givenNoPriorActivity()
        .whenPublishingA(requested())
        .expectDispatchedCommands(
            new CompleteCardCommand(CARD, CONVERSATION, content(), List.of(call)));
  }

  @Test
  void aCardThatCannotBeMade_isFailedWithTheReason() {
    windows.add(new CardWindow(true, MESSAGES));
    outcome.complete(new CardOutcome.Failed(CardFailureReason.PROVIDER_FAILED, List.of()));
    fixture
        .givenNoPriorActivity()
        .whenPublishingA(requested())
        .expectDispatchedCommands(
            new FailCardCommand(CARD, CONVERSATION, CardFailureReason.PROVIDER_FAILED, List.of()));
  }

  @Test
  void noQualifyingMessage_failsTheCardAtOnce_withoutOrderingIt() {
    windows.add(new CardWindow(true, List.of()));
    fixture
        .givenNoPriorActivity()
        .whenPublishingA(requested())
        .expectDispatchedCommands(
            new FailCardCommand(
                CARD, CONVERSATION, CardFailureReason.NO_CONSENTED_MESSAGES, List.of()));
    assertThat(orders).isEmpty();
  }

  @Test
  void aWindowTheReadSideHasNotCaughtUpWith_isAskedForAgainLater() {
    windows.add(CardWindow.incomplete());
    fixture
        .givenNoPriorActivity()
        .whenPublishingA(requested())
        .expectScheduledDeadlineWithName(RETRY, CardGenerationSaga.WINDOW_RETRY)
        .expectNoDispatchedCommands();
    assertThat(orders).isEmpty();
  }

  @Test
  void theRetry_ordersTheCardOnceTheWindowIsComplete() {
    windows.add(CardWindow.incomplete());
    windows.add(new CardWindow(true, MESSAGES));
    fixture.givenAPublished(requested()).whenTimeElapses(RETRY);
    assertThat(asked).hasSize(2);
    assertThat(orders).containsExactly(new CardOrder(CARD, CONVERSATION, MESSAGES));
  }

  @Test
  void theTimeout_failsACardStillPending_andEndsTheSaga() {
    windows.add(new CardWindow(true, MESSAGES)); // ordered, never answered
    fixture
        .givenAPublished(requested())
        .whenTimeElapses(TIMEOUT)
        .expectDeadlinesMet(new CardGenerationSaga.CardTimeout(CARD))
        .expectDispatchedCommands(
            new FailCardCommand(CARD, CONVERSATION, CardFailureReason.TIMED_OUT, List.of()))
        .expectActiveSagas(0);
  }

  @Test
  void theCardsOutcome_endsTheSaga_andCancelsTheTimeout() {
    windows.add(new CardWindow(true, MESSAGES));
    fixture
        .givenAPublished(requested())
        .whenPublishingA(
            new CardGeneratedEvent(
                CARD,
                CONVERSATION,
                Rarity.COMMON,
                0.4,
                0.7,
                "t",
                "c",
                List.of("alice"),
                1,
                "ab".repeat(32),
                "<svg/>",
                "builtin",
                null,
                null,
                null,
                now))
        .expectActiveSagas(0)
        .expectNoScheduledDeadlines();
  }

  @Test
  void aFailure_endsTheSaga_andCancelsEveryDeadline() {
    windows.add(CardWindow.incomplete());
    fixture
        .givenAPublished(requested())
        .whenPublishingA(new CardFailedEvent(CARD, CONVERSATION, CardFailureReason.TIMED_OUT, now))
        .expectActiveSagas(0)
        .expectNoScheduledDeadlines();
  }
}
