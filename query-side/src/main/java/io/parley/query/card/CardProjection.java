package io.parley.query.card;

import static io.parley.migrations.jooq.Tables.CARD;
import static io.parley.migrations.jooq.Tables.CARD_CONTRIBUTOR;
import static io.parley.migrations.jooq.Tables.CARD_PICTURE;
import static io.parley.migrations.jooq.Tables.CARD_PROVIDER_CALL;

import io.parley.api.card.CardFailedEvent;
import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardProviderCalledEvent;
import io.parley.api.card.CardRequestedEvent;
import io.parley.api.card.CardStatus;
import io.parley.api.card.ProviderCall;
import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Cards as API.md shows them, their contributors and their provenance ledger. One segment: a card's
 * request is the conversation's event and its outcome the card's, so only one segment sees them in
 * the store's order. Replaying it reads events only: no provider is ever called again.
 */
@Component
@ProcessingGroup(CardProjection.PROCESSING_GROUP)
public class CardProjection {

  public static final String PROCESSING_GROUP = "cards";

  private final DSLContext db;

  public CardProjection(DSLContext db) {
    this.db = db;
  }

  @EventHandler
  void on(CardRequestedEvent event) {
    db.insertInto(CARD)
        .set(CARD.CARD_ID, event.cardId())
        .set(CARD.CONVERSATION_ID, event.conversationId())
        .set(CARD.NUMBER, event.number())
        .set(CARD.TRIGGER, event.trigger().name())
        .set(CARD.REQUESTED_BY, event.requestedBy())
        .set(CARD.STATUS, CardStatus.PENDING.name())
        .set(CARD.REQUESTED_AT, event.requestedAt().atOffset(ZoneOffset.UTC))
        .onConflict(CARD.CARD_ID)
        .doNothing()
        .execute();
  }

  @EventHandler
  void on(CardProviderCalledEvent event) {
    ProviderCall call = event.call();
    db.insertInto(CARD_PROVIDER_CALL)
        .set(CARD_PROVIDER_CALL.CALL_ID, call.callId())
        .set(CARD_PROVIDER_CALL.CARD_ID, event.cardId())
        .set(CARD_PROVIDER_CALL.PROVIDER, call.provider())
        .set(CARD_PROVIDER_CALL.MODEL, call.model())
        .set(CARD_PROVIDER_CALL.PROMPT_SHA256, call.promptSha256())
        .set(CARD_PROVIDER_CALL.LATENCY_MS, call.latencyMillis())
        .set(CARD_PROVIDER_CALL.OUTCOME, call.outcome().name())
        .set(CARD_PROVIDER_CALL.PROMPT_TOKENS, call.promptTokens())
        .set(CARD_PROVIDER_CALL.COMPLETION_TOKENS, call.completionTokens())
        .set(CARD_PROVIDER_CALL.BATCH_SIZE, call.batchSize())
        .set(CARD_PROVIDER_CALL.CALLED_AT, call.calledAt().atOffset(ZoneOffset.UTC))
        .onConflictDoNothing()
        .execute();
  }

  /** Title and caption are null when a contributor's key was already gone (a replay). */
  @EventHandler
  void on(CardGeneratedEvent event) {
    boolean erased = event.title() == null || event.caption() == null;
    db.update(CARD)
        .set(CARD.STATUS, CardStatus.READY.name())
        .set(CARD.RARITY, event.rarity().name())
        .set(CARD.POLARITY, scaled(event.polarity()))
        .set(CARD.CONFIDENCE, scaled(event.confidence()))
        .set(CARD.TITLE, erased ? null : event.title())
        .set(CARD.CAPTION, erased ? null : event.caption())
        .set(CARD.MESSAGE_COUNT, event.messageCount())
        .set(CARD.WINDOW_HASH, event.windowHash())
        .set(CARD.ARTWORK_SVG, event.artworkSvg())
        .set(CARD.PROVIDER, event.provider())
        .set(CARD.MODEL, event.model())
        .set(CARD.FALLBACK_REASON, event.fallbackReason())
        .set(CARD.REUSED_FROM, event.reusedFrom())
        .set(CARD.GENERATED_AT, event.generatedAt().atOffset(ZoneOffset.UTC))
        .set(CARD.ERASED, erased)
        .where(CARD.CARD_ID.eq(event.cardId()))
        .execute();
    var insert =
        db.insertInto(CARD_CONTRIBUTOR, CARD_CONTRIBUTOR.CARD_ID, CARD_CONTRIBUTOR.SUBJECT_ID);
    for (String contributor : event.contributorIds()) {
      insert = insert.values(event.cardId(), contributor);
    }
    if (!event.contributorIds().isEmpty()) {
      insert.onConflictDoNothing().execute();
    }
  }

  @EventHandler
  void on(CardFailedEvent event) {
    // A picture drawn for a card that then timed out is not kept.
    db.deleteFrom(CARD_PICTURE).where(CARD_PICTURE.CARD_ID.eq(event.cardId())).execute();
    db.update(CARD)
        .set(CARD.STATUS, CardStatus.FAILED.name())
        .set(CARD.FAILURE_REASON, event.reason().name())
        .set(CARD.GENERATED_AT, event.failedAt().atOffset(ZoneOffset.UTC))
        .where(CARD.CARD_ID.eq(event.cardId()))
        .execute();
  }

  /**
   * Every card that drew on the subject's messages loses its title and caption, and its picture
   * (drawn from them).
   */
  @EventHandler
  void on(SubjectErasedEvent event) {
    db.deleteFrom(CARD_PICTURE)
        .where(
            CARD_PICTURE.CARD_ID.in(
                db.select(CARD_CONTRIBUTOR.CARD_ID)
                    .from(CARD_CONTRIBUTOR)
                    .where(CARD_CONTRIBUTOR.SUBJECT_ID.eq(event.subjectId()))))
        .execute();
    db.update(CARD)
        .setNull(CARD.TITLE)
        .setNull(CARD.CAPTION)
        .set(CARD.ERASED, true)
        .where(
            CARD.CARD_ID.in(
                db.select(CARD_CONTRIBUTOR.CARD_ID)
                    .from(CARD_CONTRIBUTOR)
                    .where(CARD_CONTRIBUTOR.SUBJECT_ID.eq(event.subjectId()))))
        .execute();
  }

  /**
   * A card's text is kept under its contributors' message keys of the month it was made: it expires
   * with the messages of that month.
   */
  @EventHandler
  void on(RetentionSweptEvent event) {
    if (event.category() != DataCategory.MESSAGE) {
      return;
    }
    db.deleteFrom(CARD_PICTURE)
        .where(
            CARD_PICTURE.CARD_ID.in(
                db.select(CARD.CARD_ID)
                    .from(CARD)
                    .where(CARD.GENERATED_AT.lt(event.cutoff().atOffset(ZoneOffset.UTC)))))
        .execute();
    db.update(CARD)
        .setNull(CARD.TITLE)
        .setNull(CARD.CAPTION)
        .set(CARD.ERASED, true)
        .where(CARD.GENERATED_AT.lt(event.cutoff().atOffset(ZoneOffset.UTC)))
        .and(CARD.ERASED.isFalse())
        .and(CARD.STATUS.eq(CardStatus.READY.name()))
        .execute();
  }

  /**
   * Pictures ({@code card_picture}) are not this projection's to rebuild: no replay calls a
   * provider again. They are only ever deleted here, with the card's text.
   */
  @ResetHandler
  void reset() {
    db.truncate(CARD, CARD_CONTRIBUTOR, CARD_PROVIDER_CALL).execute();
  }

  private static BigDecimal scaled(double value) {
    return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN);
  }
}
