package io.parley.query.timeline;

import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;
import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.error.InvalidInputException;
import io.parley.api.error.InvalidInputException.FieldProblem;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.query.KeysetCursor;
import io.parley.query.conversation.ConversationAccess;
import io.parley.query.conversation.ConversationProjection;
import io.parley.query.conversation.ConversationQueryController;
import io.parley.query.conversation.ConversationQueryController.TimelineItem;
import io.parley.query.conversation.ConversationQueryController.TimelineResponse;
import io.parley.query.support.Projector;
import io.parley.query.support.QueryGateways;
import io.parley.query.support.Rows;
import io.parley.testsupport.MigratedDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timeline read (API.md: newest first, {@code before} is the {@code nextCursor} of the page
 * before), from the HTTP controller's method through Axon's query bus to {@link
 * TimelineQueryHandler} on rows the real projections wrote. Every message is sent at the same
 * instant: the order and the cursor come from positions, never from time.
 */
class TimelineQueryHandlerTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
  static final Principal ADA = () -> "ada";

  static MigratedDatabase database;
  static DSLContext db;

  Projector conversations;
  Projector timeline;
  ConversationQueryController api;

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
  void conversationOfAdaAndBob() {
    Rows.truncate(db, CONVERSATION_SUMMARY, CONVERSATION_PARTICIPANT, TIMELINE_MESSAGE);
    conversations = new Projector(new ConversationProjection(db));
    timeline = new Projector(new TimelineProjection(db));
    api =
        new ConversationQueryController(
            QueryGateways.to(new TimelineQueryHandler(db, new ConversationAccess(db))));
    conversations.handleAll(
        Projector.messages(
            new ConversationStartedEvent(
                CONVERSATION,
                "ada",
                "Plans",
                Set.of("ada", "bob"),
                new BigDecimal("0.500"),
                new BigDecimal("0.900"),
                T0)));
  }

  @Test
  void walkingEveryPage_returnsEachVisibleMessageOnce_newestFirst() {
    send(1, 11);
    timeline.handleAll(
        Projector.messages(
            new MessageRemovedEvent(
                CONVERSATION, message(5), "bob", UUID.randomUUID(), "mod", T0)));

    List<TimelineResponse> pages = walk(3);

    assertThat(pages).extracting(page -> page.items().size()).containsExactly(3, 3, 3, 1);
    assertThat(ids(pages))
        .containsExactly(
            message(11),
            message(10),
            message(9),
            message(8),
            message(7),
            message(6),
            message(4),
            message(3),
            message(2),
            message(1));
  }

  @Test
  void lastPage_hasNoCursor_evenWhenItIsFull() {
    send(1, 6);

    List<TimelineResponse> pages = walk(3);

    assertThat(pages).hasSize(2);
    assertThat(pages.get(0).nextCursor()).isNotNull();
    assertThat(pages.get(1).items()).hasSize(3);
    assertThat(pages.get(1).nextCursor()).isNull();
  }

  @Test
  void messagesSentWhilePaging_doNotShiftTheRemainingPages() {
    send(1, 7);
    TimelineResponse first = api.messages(CONVERSATION, 3, null, ADA);
    send(8, 9); // newer than every page still to come

    List<UUID> seen = new ArrayList<>(first.items().stream().map(TimelineItem::messageId).toList());
    String cursor = first.nextCursor();
    while (cursor != null) {
      TimelineResponse page = api.messages(CONVERSATION, 3, cursor, ADA);
      page.items().forEach(item -> seen.add(item.messageId()));
      cursor = page.nextCursor();
    }

    assertThat(seen)
        .containsExactly(
            message(7), message(6), message(5), message(4), message(3), message(2), message(1));
  }

  @Test
  void pageItems_carryTheMessageAsTheReaderSeesIt() {
    send(1, 1);

    TimelineItem item = api.messages(CONVERSATION, 10, null, ADA).items().get(0);

    assertThat(item.messageId()).isEqualTo(message(1));
    assertThat(item.senderId()).isEqualTo("bob");
    assertThat(item.text()).isEqualTo("message 1");
    assertThat(item.sentAt()).isEqualTo(T0);
    assertThat(item.verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(item.erased()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"q:3", "p:0", "p:-1", "p:three"})
  void cursorThisListDidNotReturn_isRejectedAsAnInvalidBefore(String raw) {
    send(1, 5);
    String cursor =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(raw.getBytes(StandardCharsets.US_ASCII));

    assertRejectedAsBefore(cursor);
  }

  @Test
  void cursorOfTheModeratorQueue_isRejectedAsAnInvalidBefore() {
    send(1, 5);
    String queueCursor = new KeysetCursor("q:", "after").encode(3L);

    assertRejectedAsBefore(queueCursor);
  }

  @Test
  void textThatIsNoCursorAtAll_isRejectedAsAnInvalidBefore() {
    send(1, 5);

    assertRejectedAsBefore("not a cursor!");
  }

  private void assertRejectedAsBefore(String cursor) {
    assertThatThrownBy(() -> api.messages(CONVERSATION, 3, cursor, ADA))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new FieldProblem("before", "is not a cursor this API returned")));
  }

  /** Every page, following each page's cursor until there is none. */
  private List<TimelineResponse> walk(int limit) {
    List<TimelineResponse> pages = new ArrayList<>();
    String cursor = null;
    do {
      TimelineResponse page = api.messages(CONVERSATION, limit, cursor, ADA);
      pages.add(page);
      cursor = page.nextCursor();
      assertThat(pages).as("pages walked").hasSizeLessThan(50);
    } while (cursor != null);
    return pages;
  }

  private static List<UUID> ids(List<TimelineResponse> pages) {
    return pages.stream()
        .flatMap(page -> page.items().stream())
        .map(TimelineItem::messageId)
        .toList();
  }

  /** Bob sends messages {@code from}..{@code to}, all at the same instant. */
  private void send(long from, long to) {
    timeline.handleAll(
        LongStream.rangeClosed(from, to)
            .mapToObj(
                position ->
                    Projector.event(
                        new MessageSentEvent(
                            CONVERSATION,
                            message(position),
                            position,
                            "bob",
                            "message " + position,
                            Verdict.ALLOWED,
                            ToxicityScores.NONE.highest(),
                            ToxicityScores.NONE,
                            "lexicon",
                            T0)))
            .toList());
  }

  /** Ids in no particular order, so that only positions can put messages in order. */
  static UUID message(long position) {
    return UUID.nameUUIDFromBytes(("message " + position).getBytes(StandardCharsets.UTF_8));
  }
}
