package io.parley.infra.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.card.CardContent;
import io.parley.api.card.CardFailureReason;
import io.parley.api.card.CardWindowMessage;
import io.parley.api.card.FindReusableCardQuery;
import io.parley.api.card.ProviderCall;
import io.parley.api.card.ProviderCallOutcome;
import io.parley.api.card.ReusableCard;
import io.parley.infra.card.provider.CardWriting;
import io.parley.infra.card.provider.CardWritingRequest;
import io.parley.infra.card.provider.ExternalCardWriter;
import io.parley.saga.card.CardOrder;
import io.parley.saga.card.CardOutcome;
import io.parley.text.card.BuiltInCardGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;

/** Who makes a card: configuration, consent, the ledger's reuse rule and the fallback. */
class RoutingCardMakerTest {

  static final UUID CARD = UUID.fromString("0d6f3f0e-6a1b-4b8f-9d0e-3c5a7b9e1f20");
  static final UUID CONVERSATION = UUID.fromString("3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41");

  static final CardWindowMessage CAROL_NO_AI =
      message("carol", 1, "We had such a wonderful time at the lake!", false);
  static final CardWindowMessage BOB_AI =
      message("bob", 2, "The sunset was amazing and dinner was great.", true);
  static final CardWindowMessage ALICE_AI =
      message("alice", 3, "Let's go back next summer, same cabin!", true);
  static final CardWindowMessage BOB_AI_AGAIN = message("bob", 4, "Absolutely, count me in.", true);

  FakeWriter writer;
  QueryGateway queries;
  ReusableCard reusable;
  SimpleMeterRegistry meters;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void setUp() {
    writer = new FakeWriter();
    meters = new SimpleMeterRegistry();
    queries = mock(QueryGateway.class);
    when(queries.query(
            any(FindReusableCardQuery.class),
            ArgumentMatchers.<ResponseType<Optional<ReusableCard>>>any()))
        .thenAnswer(invocation -> CompletableFuture.completedFuture(Optional.ofNullable(reusable)));
  }

  static CardWindowMessage message(String sender, long position, String text, boolean ai) {
    return new CardWindowMessage(UUID.randomUUID(), sender, position, text, ai);
  }

  RoutingCardMaker maker(boolean external, CardProperties.Fallback fallback) {
    return new RoutingCardMaker(
        new BuiltInCardGenerator(),
        external ? Optional.of(writer) : Optional.empty(),
        fallback,
        queries,
        Runnable::run,
        meters,
        Optional.empty());
  }

  CardOutcome make(RoutingCardMaker maker, CardWindowMessage... messages) {
    return maker.make(new CardOrder(CARD, CONVERSATION, List.of(messages))).join();
  }

  static ProviderCall call(ProviderCallOutcome outcome) {
    return new ProviderCall(
        UUID.randomUUID(), "fakeai", "m1", "ab".repeat(32), 90, outcome, 50, 10, 1, Instant.now());
  }

  @Test
  void withoutAProvider_theBuiltInGeneratorMakesTheCard_fromEveryQualifyingMessage() {
    CardOutcome outcome =
        make(maker(false, CardProperties.Fallback.BUILTIN), CAROL_NO_AI, BOB_AI, BOB_AI_AGAIN);
    CardContent content = ((CardOutcome.Made) outcome).content();
    assertThat(content.provider()).isEqualTo(BuiltInCardGenerator.NAME);
    assertThat(content.model()).isNull();
    assertThat(content.messageCount()).isEqualTo(3);
    assertThat(content.contributorIds()).containsExactly("bob", "carol");
    assertThat(content.artworkSvg()).startsWith("<svg");
    assertThat(content.windowHash()).hasSize(64);
    assertThat(((CardOutcome.Made) outcome).providerCalls()).isEmpty();
  }

  @Test
  void theProvider_seesOnlyAiConsentingMessages_underPseudonyms_andMakesTheCardFromThem() {
    ProviderCall success = call(ProviderCallOutcome.SUCCESS);
    writer.answer =
        new CardWriting.Written(0.7, 0.9, "Lake days", "A summer to repeat.", List.of(success));
    CardOutcome outcome =
        make(
            maker(true, CardProperties.Fallback.BUILTIN),
            CAROL_NO_AI,
            BOB_AI,
            ALICE_AI,
            BOB_AI_AGAIN);

    assertThat(writer.requests).hasSize(1);
    List<CardWritingRequest.Line> lines = writer.requests.get(0).messages();
    assertThat(lines)
        .extracting(CardWritingRequest.Line::author)
        .containsExactly("A", "B", "A"); // bob, alice, bob: never user ids
    assertThat(lines).extracting(CardWritingRequest.Line::text).doesNotContain(CAROL_NO_AI.text());

    CardOutcome.Made made = (CardOutcome.Made) outcome;
    assertThat(made.content().provider()).isEqualTo("fakeai");
    assertThat(made.content().model()).isEqualTo("m1");
    assertThat(made.content().title()).isEqualTo("Lake days");
    assertThat(made.content().polarity()).isEqualTo(0.7);
    assertThat(made.content().messageCount()).isEqualTo(3);
    assertThat(made.content().contributorIds()).containsExactly("alice", "bob");
    assertThat(made.content().rarity()).isNotNull();
    assertThat(made.providerCalls()).containsExactly(success);
  }

  @Test
  void withNoAiConsentingMessage_theBuiltInGeneratorMakesIt_andTheProviderIsNotAsked() {
    CardOutcome outcome = make(maker(true, CardProperties.Fallback.BUILTIN), CAROL_NO_AI);
    assertThat(((CardOutcome.Made) outcome).content().provider()).isEqualTo("builtin");
    assertThat(writer.requests).isEmpty();
  }

  @Test
  void noUsableAnswer_withFallbackBuiltin_isMadeByTheBuiltInGenerator_withTheReasonAndTheCalls() {
    List<ProviderCall> calls =
        List.of(call(ProviderCallOutcome.SERVER_ERROR), call(ProviderCallOutcome.SERVER_ERROR));
    writer.answer = new CardWriting.NotWritten(ProviderCallOutcome.SERVER_ERROR, calls);
    CardOutcome.Made made =
        (CardOutcome.Made) make(maker(true, CardProperties.Fallback.BUILTIN), CAROL_NO_AI, BOB_AI);
    assertThat(made.content().provider()).isEqualTo("builtin");
    assertThat(made.content().fallbackReason()).isEqualTo("SERVER_ERROR");
    assertThat(made.content().messageCount())
        .isEqualTo(2); // the built-in sees every qualifying one
    assertThat(made.providerCalls()).isEqualTo(calls);
    assertThat(
            meters
                .get("parley.cards.fallbacks")
                .tags("provider", "fakeai", "reason", "SERVER_ERROR", "fallback", "builtin")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void noUsableAnswer_withFallbackFail_failsTheCard_withTheCalls() {
    List<ProviderCall> calls = List.of(call(ProviderCallOutcome.TIMEOUT));
    writer.answer = new CardWriting.NotWritten(ProviderCallOutcome.TIMEOUT, calls);
    CardOutcome outcome = make(maker(true, CardProperties.Fallback.FAIL), BOB_AI);
    assertThat(outcome).isEqualTo(new CardOutcome.Failed(CardFailureReason.PROVIDER_FAILED, calls));
  }

  @Test
  void anIdenticalEarlierWindow_isReused_withoutAskingTheProvider() {
    UUID earlier = UUID.randomUUID();
    reusable = new ReusableCard(earlier, -0.3, 0.6, "Earlier title", "Earlier caption");
    CardOutcome.Made made =
        (CardOutcome.Made) make(maker(true, CardProperties.Fallback.BUILTIN), BOB_AI, ALICE_AI);
    assertThat(writer.requests).isEmpty();
    assertThat(made.content().reusedFrom()).isEqualTo(earlier);
    assertThat(made.content().title()).isEqualTo("Earlier title");
    assertThat(made.content().polarity()).isEqualTo(-0.3);
    assertThat(made.content().provider()).isEqualTo("fakeai");
    assertThat(made.providerCalls()).isEmpty();
  }

  @Test
  void pseudonyms_runALikeSpreadsheetColumns() {
    assertThat(RoutingCardMaker.pseudonym(0)).isEqualTo("A");
    assertThat(RoutingCardMaker.pseudonym(25)).isEqualTo("Z");
    assertThat(RoutingCardMaker.pseudonym(26)).isEqualTo("AA");
    assertThat(RoutingCardMaker.pseudonym(27)).isEqualTo("AB");
    assertThat(RoutingCardMaker.pseudonym(701)).isEqualTo("ZZ");
    assertThat(RoutingCardMaker.pseudonym(702)).isEqualTo("AAA");
  }

  /** An external writer that records what it was asked and answers as told. */
  static final class FakeWriter implements ExternalCardWriter {
    final List<CardWritingRequest> requests = new ArrayList<>();
    CardWriting answer = new CardWriting.NotWritten(ProviderCallOutcome.ERROR, List.of());

    @Override
    public String provider() {
      return "fakeai";
    }

    @Override
    public String model() {
      return "m1";
    }

    @Override
    public CompletableFuture<CardWriting> write(CardWritingRequest request) {
      requests.add(request);
      return CompletableFuture.completedFuture(answer);
    }
  }
}
