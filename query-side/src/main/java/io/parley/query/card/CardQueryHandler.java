package io.parley.query.card;

import static io.parley.migrations.jooq.Tables.CARD;
import static io.parley.migrations.jooq.Tables.CARD_PICTURE;
import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;

import io.parley.api.card.CardFailureReason;
import io.parley.api.card.CardPicture;
import io.parley.api.card.CardStatus;
import io.parley.api.card.CardView;
import io.parley.api.card.CardWindow;
import io.parley.api.card.CardWindowMessage;
import io.parley.api.card.CardsPage;
import io.parley.api.card.FetchCardArtworkQuery;
import io.parley.api.card.FetchCardQuery;
import io.parley.api.card.FetchCardWindowQuery;
import io.parley.api.card.FetchCardsQuery;
import io.parley.api.card.FindReusableCardQuery;
import io.parley.api.card.Rarity;
import io.parley.api.card.ReusableCard;
import io.parley.api.error.NotFoundException;
import io.parley.api.subject.ConsentPurpose;
import io.parley.migrations.jooq.tables.Consent;
import io.parley.migrations.jooq.tables.records.CardRecord;
import io.parley.query.conversation.ConversationAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/** Cards for participants, the card generation saga's window, and the ledger's reuse rule. */
@Component
public class CardQueryHandler {

  /** How long a window query waits for the timeline to catch up before answering incomplete. */
  static final Duration WINDOW_WAIT = Duration.ofMillis(500);

  private static final Duration WINDOW_POLL = Duration.ofMillis(50);

  private final DSLContext db;
  private final ConversationAccess access;

  public CardQueryHandler(DSLContext db, ConversationAccess access) {
    this.db = db;
    this.access = access;
  }

  @QueryHandler
  public CardView handle(FetchCardQuery query) {
    CardRecord card = readableCard(query.cardId(), query.callerId());
    return view(card);
  }

  /** The artwork, with the provider's picture in it while there is one. */
  @QueryHandler
  public String handle(FetchCardArtworkQuery query) {
    CardRecord card = readableCard(query.cardId(), query.callerId());
    if (!CardStatus.READY.name().equals(card.getStatus()) || card.getArtworkSvg() == null) {
      throw new NotFoundException("The card has no artwork: it is not READY");
    }
    if (card.getErased()) {
      return card.getArtworkSvg();
    }
    return db.selectFrom(CARD_PICTURE)
        .where(CARD_PICTURE.CARD_ID.eq(card.getCardId()))
        .fetchOptional()
        .map(p -> CardPicture.embed(card.getArtworkSvg(), p.getMediaType(), p.getBytes()))
        .orElse(card.getArtworkSvg());
  }

  @QueryHandler
  public CardsPage handle(FetchCardsQuery query) {
    access.requireParticipant(query.conversationId(), query.callerId());
    Condition condition = CARD.CONVERSATION_ID.eq(query.conversationId());
    if (query.beforeNumber() != null) {
      condition = condition.and(CARD.NUMBER.lt(query.beforeNumber()));
    }
    List<CardRecord> rows =
        db.selectFrom(CARD)
            .where(condition)
            .orderBy(CARD.NUMBER.desc())
            .limit(query.limit() + 1)
            .fetch();
    boolean more = rows.size() > query.limit();
    List<CardRecord> page = more ? rows.subList(0, query.limit()) : rows;
    List<CardView> items = new ArrayList<>(page.size());
    for (CardRecord row : page) {
      items.add(view(row));
    }
    return new CardsPage(items, more ? page.get(page.size() - 1).getNumber() : null);
  }

  /**
   * The window's qualifying messages: delivered in the range, neither removed nor erased, from
   * senders who grant CARD_GENERATION now; the latest {@link FetchCardWindowQuery#WINDOW_MAX}, in
   * position order. Incomplete while the timeline has not yet seen the range's last position.
   */
  @QueryHandler
  public CardWindow handle(FetchCardWindowQuery query) throws InterruptedException {
    if (query.upToPosition() > query.afterPosition() && !timelineHas(query)) {
      return CardWindow.incomplete();
    }
    Consent cards = CONSENT.as("cards");
    Consent ai = CONSENT.as("ai");
    List<CardWindowMessage> latestFirst =
        db.select(
                TIMELINE_MESSAGE.MESSAGE_ID,
                TIMELINE_MESSAGE.SENDER_ID,
                TIMELINE_MESSAGE.POSITION,
                TIMELINE_MESSAGE.TEXT,
                DSL.coalesce(ai.GRANTED, false))
            .from(TIMELINE_MESSAGE)
            .join(cards)
            .on(
                cards
                    .SUBJECT_ID
                    .eq(TIMELINE_MESSAGE.SENDER_ID)
                    .and(cards.PURPOSE.eq(ConsentPurpose.CARD_GENERATION.name()))
                    .and(cards.GRANTED.isTrue()))
            .leftJoin(ai)
            .on(
                ai.SUBJECT_ID
                    .eq(TIMELINE_MESSAGE.SENDER_ID)
                    .and(ai.PURPOSE.eq(ConsentPurpose.AI_PROCESSING.name())))
            .where(TIMELINE_MESSAGE.CONVERSATION_ID.eq(query.conversationId()))
            .and(TIMELINE_MESSAGE.POSITION.gt(query.afterPosition()))
            .and(TIMELINE_MESSAGE.POSITION.le(query.upToPosition()))
            .and(TIMELINE_MESSAGE.REMOVED.isFalse())
            .and(TIMELINE_MESSAGE.ERASED.isFalse())
            .and(TIMELINE_MESSAGE.TEXT.isNotNull())
            .orderBy(TIMELINE_MESSAGE.POSITION.desc())
            .limit(FetchCardWindowQuery.WINDOW_MAX)
            .fetch(
                r ->
                    new CardWindowMessage(
                        r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    List<CardWindowMessage> inOrder = new ArrayList<>(latestFirst);
    Collections.reverse(inOrder);
    return new CardWindow(true, inOrder);
  }

  /**
   * Whether the timeline holds the window's last message, waiting for it up to {@link #WINDOW_WAIT}
   * (the timeline usually lags the command by a fraction of a second; the saga's own retry, a
   * deadline, is seconds).
   */
  private boolean timelineHas(FetchCardWindowQuery query) throws InterruptedException {
    long deadline = System.nanoTime() + WINDOW_WAIT.toNanos();
    while (true) {
      if (db.fetchExists(
          TIMELINE_MESSAGE,
          TIMELINE_MESSAGE
              .CONVERSATION_ID
              .eq(query.conversationId())
              .and(TIMELINE_MESSAGE.POSITION.eq(query.upToPosition())))) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(WINDOW_POLL.toMillis());
    }
  }

  /** An earlier READY card of the same window by the same provider and model, text readable. */
  @QueryHandler
  public ReusableCard handle(FindReusableCardQuery query) {
    return db.selectFrom(CARD)
        .where(CARD.WINDOW_HASH.eq(query.windowHash()))
        .and(CARD.PROVIDER.eq(query.provider()))
        .and(CARD.MODEL.isNotDistinctFrom(query.model()))
        .and(CARD.STATUS.eq(CardStatus.READY.name()))
        .and(CARD.ERASED.isFalse())
        .and(CARD.TITLE.isNotNull())
        .and(CARD.CAPTION.isNotNull())
        .orderBy(CARD.GENERATED_AT)
        .limit(1)
        .fetchOptional(
            r ->
                new ReusableCard(
                    r.getCardId(),
                    r.getPolarity().doubleValue(),
                    r.getConfidence().doubleValue(),
                    r.getTitle(),
                    r.getCaption()))
        .orElse(null);
  }

  /** Cards in {@code status} now (the pending-cards gauge). */
  public long countInStatus(CardStatus status) {
    return db.fetchCount(CARD, CARD.STATUS.eq(status.name()));
  }

  private CardRecord readableCard(java.util.UUID cardId, String callerId) {
    CardRecord card = db.selectFrom(CARD).where(CARD.CARD_ID.eq(cardId)).fetchOne();
    if (card == null) {
      throw new NotFoundException("No such card");
    }
    access.requireParticipant(card.getConversationId(), callerId);
    return card;
  }

  private static CardView view(CardRecord r) {
    boolean ready = CardStatus.READY.name().equals(r.getStatus());
    return new CardView(
        r.getCardId(),
        r.getConversationId(),
        CardStatus.valueOf(r.getStatus()),
        r.getFailureReason() == null ? null : CardFailureReason.valueOf(r.getFailureReason()),
        r.getRarity() == null ? null : Rarity.valueOf(r.getRarity()),
        r.getErased() ? null : r.getTitle(),
        r.getErased() ? null : r.getCaption(),
        r.getPolarity() == null
            ? null
            : new CardView.Sentiment(
                r.getPolarity().doubleValue(), r.getConfidence().doubleValue()),
        r.getMessageCount(),
        ready ? CardView.artworkPath(r.getCardId()) : null,
        r.getRequestedAt().toInstant(),
        ready ? r.getGeneratedAt().toInstant() : null,
        r.getProvider(),
        r.getErased());
  }
}
