package io.parley.infra.card;

import static io.parley.migrations.jooq.Tables.CARD_PICTURE;

import io.parley.infra.card.provider.CardIllustrator;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Keeps the pictures external providers draw ({@code card_picture}, V23), before the card is
 * recorded READY; the read side serves them inside the artwork and the cards projection deletes
 * them with the card's text.
 */
public class CardPictureStore {

  private final DSLContext db;
  private final Clock clock;

  public CardPictureStore(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public void save(UUID cardId, CardIllustrator.Picture picture) {
    db.insertInto(CARD_PICTURE)
        .set(CARD_PICTURE.CARD_ID, cardId)
        .set(CARD_PICTURE.MEDIA_TYPE, picture.mediaType())
        .set(CARD_PICTURE.BYTES, picture.bytes())
        .set(CARD_PICTURE.CREATED_AT, clock.instant().atOffset(ZoneOffset.UTC))
        .onConflictDoNothing()
        .execute();
  }
}
