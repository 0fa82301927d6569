package io.parley.query.card;

import static io.parley.migrations.jooq.Tables.CARD;
import static io.parley.migrations.jooq.Tables.CARD_CONTRIBUTOR;
import static io.parley.migrations.jooq.Tables.CARD_PROVIDER_CALL;
import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.CONSENT_HISTORY;
import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;
import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardProviderCalledEvent;
import io.parley.api.card.CardRequestedEvent;
import io.parley.api.card.CardTrigger;
import io.parley.api.card.CardWindow;
import io.parley.api.card.CardWindowMessage;
import io.parley.api.card.FetchCardWindowQuery;
import io.parley.api.card.FindReusableCardQuery;
import io.parley.api.card.ProviderCall;
import io.parley.api.card.ProviderCallOutcome;
import io.parley.api.card.Rarity;
import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.query.conversation.ConversationAccess;
import io.parley.query.conversation.ConversationProjection;
import io.parley.query.subject.ConsentProjection;
import io.parley.query.support.Projector;
import io.parley.query.support.Rows;
import io.parley.query.timeline.TimelineProjection;
import io.parley.testsupport.MigratedDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The card generation saga's window and the ledger's reuse rule, on rows the real projections wrote
 * (timeline, consent, cards) in a real PostgreSQL; and the cards projection replayed.
 */
class CardQueryHandlerTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-0000000000c2");

  static MigratedDatabase database;
  static DSLContext db;

  Projector timeline;
  Projector consents;
  Projector cards;
  CardQueryHandler handler;

  @BeforeAll
  static void migrate() {
    database = MigratedDatabase.create();
    db = database.dsl();
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  @BeforeEach
  void conversationOfAdaBobAndCy() {
    Rows.truncate(
        db,
        CONVERSATION_SUMMARY,
        CONVERSATION_PARTICIPANT,
        TIMELINE_MESSAGE,
        CONSENT,
        CONSENT_HISTORY,
        CARD,
        CARD_CONTRIBUTOR,
        CARD_PROVIDER_CALL);
    timeline = new Projector(new TimelineProjection(db));
    consents = new Projector(new ConsentProjection(db));
    cards = new Projector(new CardProjection(db));
    handler = new CardQueryHandler(db, new ConversationAccess(db));
    new Projector(new ConversationProjection(db))
        .handleAll(
            Projector.messages(
                new ConversationStartedEvent(
                    CONVERSATION,
                    "ada",
                    "Plans",
                    Set.of("ada", "bob", "cy"),
                    new BigDecimal("0.500"),
                    new BigDecimal("0.900"),
                    T0)));
    grant("ada", ConsentPurpose.CARD_GENERATION);
    grant("ada", ConsentPurpose.AI_PROCESSING);
    grant("bob", ConsentPurpose.CARD_GENERATION);
    // cy grants nothing
  }

  void grant(String subject, ConsentPurpose purpose) {
    consents.handleAll(Projector.messages(new ConsentGrantedEvent(subject, purpose, "v1", T0)));
  }

  static UUID message(long position) {
    return new UUID(0xc2, position);
  }

  void send(long position, String sender) {
    timeline.handleAll(
        Projector.messages(
            new MessageSentEvent(
                CONVERSATION,
                message(position),
                position,
                sender,
                "message " + position + " by " + sender,
                Verdict.ALLOWED,
                BigDecimal.ZERO,
                ToxicityScores.NONE,
                "test",
                T0)));
  }

  CardWindow window(long after, long upTo) throws InterruptedException {
    return handler.handle(new FetchCardWindowQuery(CONVERSATION, after, upTo));
  }

  @Test
  void theWindow_isTheConsentingSendersDeliveredMessagesInRange_inOrder_withTheirAiConsent()
      throws Exception {
    String[] senders = {"ada", "bob", "cy", "bob", "ada", "cy", "bob"};
    for (int i = 0; i < senders.length; i++) {
      send(i + 1, senders[i]);
    }
    timeline.handleAll(
        Projector.messages(
            new MessageRemovedEvent(CONVERSATION, message(4), "bob", UUID.randomUUID(), "m", T0)));

    CardWindow window = window(1, 7);

    assertThat(window.complete()).isTrue();
    assertThat(window.messages())
        .extracting(CardWindowMessage::position)
        .containsExactly(2L, 5L, 7L); // 1 before the window, cy never, 4 removed
    assertThat(window.messages())
        .extracting(CardWindowMessage::aiProcessing)
        .containsExactly(false, true, false);
    assertThat(window.messages().get(1).text()).isEqualTo("message 5 by ada");
  }

  @Test
  void erasedMessages_areNotInTheWindow() throws Exception {
    send(1, "ada");
    send(2, "bob");
    timeline.handleAll(
        Projector.messages(new SubjectErasedEvent("bob", UUID.randomUUID(), T0, 2, 1, 0, 2)));

    assertThat(window(0, 2).messages()).extracting(CardWindowMessage::senderId).containsOnly("ada");
  }

  @Test
  void theWindow_isTheLatest200() throws Exception {
    for (int p = 1; p <= 205; p++) {
      send(p, p % 2 == 0 ? "ada" : "bob");
    }
    List<CardWindowMessage> messages = window(0, 205).messages();
    assertThat(messages).hasSize(FetchCardWindowQuery.WINDOW_MAX);
    assertThat(messages.get(0).position()).isEqualTo(6L);
    assertThat(messages.get(199).position()).isEqualTo(205L);
  }

  @Test
  void aWindowWhoseLastMessageTheTimelineHasNotSeen_isIncomplete() throws Exception {
    send(1, "ada");
    assertThat(window(0, 2).complete()).isFalse();
    assertThat(window(0, 1).complete()).isTrue();
    assertThat(window(0, 0)).isEqualTo(new CardWindow(true, List.of())); // nothing to wait for
  }

  @Test
  void theLedger_offersAnEarlierReadyCardOfTheSameWindowProviderAndModel_whileItsTextLives() {
    UUID first = UUID.randomUUID();
    cards.handleAll(
        Projector.messages(
            new CardRequestedEvent(first, CONVERSATION, 1, CardTrigger.REQUESTED, "ada", 0, 2, T0),
            generated(first, "openai", "m1", "ab".repeat(32))));
    FindReusableCardQuery same = new FindReusableCardQuery("ab".repeat(32), "openai", "m1");

    assertThat(handler.handle(same).cardId()).isEqualTo(first);
    assertThat(handler.handle(same).title()).isEqualTo("Lake day");
    assertThat(handler.handle(new FindReusableCardQuery("ab".repeat(32), "openai", "m2"))).isNull();
    assertThat(handler.handle(new FindReusableCardQuery("cd".repeat(32), "openai", "m1"))).isNull();

    cards.handleAll(
        Projector.messages(new SubjectErasedEvent("bob", UUID.randomUUID(), T0, 2, 1, 0, 2)));
    assertThat(handler.handle(same)).isNull(); // its text is gone: it cannot be reused
  }

  @Test
  void theCardsProjection_replayedAfterAReset_isTheSame() {
    List<Object> history = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      UUID card = new UUID(0xca, n);
      history.add(
          new CardRequestedEvent(card, CONVERSATION, n, CardTrigger.AUTOMATIC, null, 0, n, T0));
      history.add(
          new CardProviderCalledEvent(
              card,
              CONVERSATION,
              new ProviderCall(
                  new UUID(0xcc, n),
                  "openai",
                  "m1",
                  "ef".repeat(32),
                  90,
                  ProviderCallOutcome.SUCCESS,
                  10,
                  5,
                  1,
                  T0)));
      history.add(generated(card, "openai", "m1", "ab".repeat(32)));
    }
    history.add(new SubjectErasedEvent("bob", UUID.randomUUID(), T0, 2, 1, 0, 2));

    var passes =
        cards.onceThenReplayedAfterReset(
            Projector.messages(history.toArray()),
            () ->
                List.of(
                    Rows.of(db, CARD),
                    Rows.of(db, CARD_CONTRIBUTOR),
                    Rows.of(db, CARD_PROVIDER_CALL)),
            () -> {});

    assertThat(passes.again()).isEqualTo(passes.once());
    assertThat(passes.once().get(0)).hasSize(3).allMatch(row -> (Boolean) row.get("erased"));
  }

  static CardGeneratedEvent generated(UUID card, String provider, String model, String hash) {
    return new CardGeneratedEvent(
        card,
        CONVERSATION,
        Rarity.RARE,
        0.5,
        0.8,
        "Lake day",
        "What a day at the lake.",
        List.of("ada", "bob"),
        2,
        hash,
        "<svg/>",
        provider,
        model,
        null,
        null,
        T0);
  }
}
