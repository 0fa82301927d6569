package io.parley.query.moderation;

import static io.parley.migrations.jooq.Tables.BLOCKED_MESSAGE;
import static io.parley.migrations.jooq.Tables.MODERATION_FLAG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.error.InvalidInputException;
import io.parley.api.error.InvalidInputException.FieldProblem;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.FlagStatus;
import io.parley.api.moderation.FlagView;
import io.parley.query.KeysetCursor;
import io.parley.query.moderation.ModerationQueryController.FlagsResponse;
import io.parley.query.support.Projector;
import io.parley.query.support.QueryGateways;
import io.parley.query.support.Rows;
import io.parley.testsupport.MigratedDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The moderator queue (API.md: oldest first, {@code after} is the {@code nextCursor} of the page
 * before), from the HTTP controller's method through Axon's query bus to {@link
 * ModerationQueryHandler} on rows the real projection wrote. Every flag is raised at the same
 * instant: the order and the cursor come from queue positions, never from time.
 */
class ModerationQueryHandlerTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-0000000000c1");

  static MigratedDatabase database;
  static DSLContext db;

  Projector moderation;
  ModerationQueryController api;

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
  void emptyQueue() {
    Rows.truncate(db, MODERATION_FLAG, BLOCKED_MESSAGE);
    moderation = new Projector(new ModerationProjection(db));
    api = new ModerationQueryController(QueryGateways.to(new ModerationQueryHandler(db)));
  }

  @Test
  void walkingEveryPage_returnsEachFlagOnce_oldestFirst() {
    raise(1, 8);
    moderation.handleAll(
        Projector.messages(review(3), review(6), resolve(6, FlagOutcome.DISMISSED)));

    List<FlagsResponse> pages = walk(null, 3);

    assertThat(pages).extracting(page -> page.items().size()).containsExactly(3, 3, 2);
    assertThat(ids(pages)).containsExactlyElementsOf(flags(1, 8));
  }

  @Test
  void walkingOneStatus_returnsEachOfItsFlagsOnce_inQueueOrder() {
    raise(1, 8);
    moderation.handleAll(
        Projector.messages(review(3), review(6), resolve(6, FlagOutcome.UPHELD), review(7)));

    List<FlagsResponse> pages = walk("PENDING", 2);

    assertThat(ids(pages)).containsExactly(flag(1), flag(2), flag(4), flag(5), flag(8));
    assertThat(pages)
        .flatExtracting(FlagsResponse::items)
        .extracting(FlagView::status)
        .containsOnly(FlagStatus.PENDING);
    assertThat(ids(walk("REVIEWING", 1))).containsExactly(flag(3), flag(7));
    assertThat(ids(walk("RESOLVED", 1))).containsExactly(flag(6));
  }

  @Test
  void lastPage_hasNoCursor_evenWhenItIsFull() {
    raise(1, 4);

    List<FlagsResponse> pages = walk(null, 2);

    assertThat(pages).hasSize(2);
    assertThat(pages.get(1).items()).hasSize(2);
    assertThat(pages.get(1).nextCursor()).isNull();
  }

  @Test
  void flagRaisedWhilePaging_appearsOnce_onALaterPage() {
    raise(1, 5);
    FlagsResponse first = api.flags(null, 2, null);
    raise(6, 6);

    List<UUID> seen = new ArrayList<>(first.items().stream().map(FlagView::flagId).toList());
    String cursor = first.nextCursor();
    while (cursor != null) {
      FlagsResponse page = api.flags(null, 2, cursor);
      page.items().forEach(item -> seen.add(item.flagId()));
      cursor = page.nextCursor();
    }

    assertThat(seen).containsExactlyElementsOf(flags(1, 6));
  }

  @Test
  void cursorOfATimeline_isRejectedAsAnInvalidAfter() {
    raise(1, 4);
    String timelineCursor = new KeysetCursor("p:", "before").encode(2L);

    assertThatThrownBy(() -> api.flags(null, 2, timelineCursor))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new FieldProblem("after", "is not a cursor this API returned")));
  }

  @Test
  void textThatIsNoCursorAtAll_isRejectedAsAnInvalidAfter() {
    raise(1, 4);

    assertThatThrownBy(() -> api.flags(null, 2, "q:2"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new FieldProblem("after", "is not a cursor this API returned")));
  }

  /** Every page of {@code status} (all when null), following the cursors until there is none. */
  private List<FlagsResponse> walk(String status, int limit) {
    List<FlagsResponse> pages = new ArrayList<>();
    String cursor = null;
    do {
      FlagsResponse page = api.flags(status, limit, cursor);
      pages.add(page);
      cursor = page.nextCursor();
      assertThat(pages).as("pages walked").hasSizeLessThan(50);
    } while (cursor != null);
    return pages;
  }

  private static List<UUID> ids(List<FlagsResponse> pages) {
    return pages.stream().flatMap(page -> page.items().stream()).map(FlagView::flagId).toList();
  }

  /** Ada flags bob's messages {@code from}..{@code to}, all at the same instant, in that order. */
  private void raise(int from, int to) {
    moderation.handleAll(
        IntStream.rangeClosed(from, to)
            .mapToObj(
                n ->
                    Projector.event(
                        new FlagRaisedEvent(
                            flag(n),
                            UUID.randomUUID(),
                            CONVERSATION,
                            "bob",
                            "ada",
                            "spam",
                            null,
                            new BigDecimal("0.100"),
                            T0)))
            .toList());
  }

  private static FlagReviewStartedEvent review(int n) {
    return new FlagReviewStartedEvent(flag(n), UUID.randomUUID(), "mod", T0.plusSeconds(60));
  }

  private static FlagResolvedEvent resolve(int n, FlagOutcome outcome) {
    return new FlagResolvedEvent(
        flag(n), UUID.randomUUID(), CONVERSATION, outcome, "mod", T0, T0.plusSeconds(120));
  }

  /** Flags raised in the opposite order of their ids' natural order, so no order comes free. */
  static UUID flag(int n) {
    return UUID.fromString("00000000-0000-0000-0000-%012d".formatted(1000 - n));
  }

  static List<UUID> flags(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(ModerationQueryHandlerTest::flag).toList();
  }
}
