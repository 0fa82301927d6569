package io.parley.query.subject;

import static io.parley.migrations.jooq.Tables.BLOCKED_MESSAGE;
import static io.parley.migrations.jooq.Tables.CARD;
import static io.parley.migrations.jooq.Tables.CARD_CONTRIBUTOR;
import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.CONSENT_HISTORY;
import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;
import static io.parley.migrations.jooq.Tables.DATA_SUBJECT_STATUS;
import static io.parley.migrations.jooq.Tables.MODERATION_FLAG;
import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.parley.api.conversation.Verdict;
import io.parley.api.error.GoneException;
import io.parley.migrations.jooq.tables.records.ModerationFlagRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a data subject's GDPR export (API.md "Data subject rights") as one JSON document, streamed
 * from the read models row by row: a subject with 100,000 messages never has them all in memory.
 *
 * <p>Only the subject's own personal data appears: their messages, consents, and the titles of
 * conversations they own. Conversations they merely take part in are listed by id, without the
 * owner's title.
 */
@Component
public class SubjectExportWriter {

  static final int FETCH_SIZE = 500;
  private static final JsonFactory JSON = new JsonFactory();

  private final DSLContext db;
  private final TransactionTemplate readOnly;
  private final Clock clock;

  public SubjectExportWriter(DSLContext db, PlatformTransactionManager transactions, Clock clock) {
    this.db = db;
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
    // One snapshot for every section: under READ COMMITTED each SELECT sees the commits made
    // before it, so a projection committing between two sections gave an export whose consent
    // history was newer than its current consents. A read-only REPEATABLE READ transaction in
    // PostgreSQL never fails with a serialization error.
    this.readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    this.clock = clock;
  }

  /** Throws {@link GoneException} (410) for an erased subject; call before writing headers. */
  public void requireExportable(String subjectId) {
    String status =
        db.select(DATA_SUBJECT_STATUS.STATUS)
            .from(DATA_SUBJECT_STATUS)
            .where(DATA_SUBJECT_STATUS.SUBJECT_ID.eq(subjectId))
            .fetchOne(DATA_SUBJECT_STATUS.STATUS);
    if (DataSubjectStatusProjection.ERASED.equals(status)) {
      throw new GoneException("This data subject has been erased");
    }
  }

  public void write(String subjectId, OutputStream out) {
    readOnly.executeWithoutResult(
        tx -> {
          try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("subjectId", subjectId);
            json.writeStringField("generatedAt", clock.instant().toString());
            writeConsents(json, subjectId);
            writeConsentHistory(json, subjectId);
            writeConversations(json, subjectId);
            json.writeArrayFieldStart("messages");
            writeMessages(json, subjectId);
            writeBlockedMessages(json, subjectId);
            json.writeEndArray();
            writeFlagsRaised(json, subjectId);
            writeFlagsAgainst(json, subjectId);
            writeCards(json, subjectId);
            json.writeEndObject();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private void writeConsents(JsonGenerator json, String subjectId) throws IOException {
    json.writeArrayFieldStart("consents");
    for (var r :
        db.selectFrom(CONSENT).where(CONSENT.SUBJECT_ID.eq(subjectId)).orderBy(CONSENT.PURPOSE)) {
      writeConsent(json, r.getPurpose(), r.getGranted(), r.getPolicyVersion(), r.getChangedAt());
    }
    json.writeEndArray();
  }

  private void writeConsentHistory(JsonGenerator json, String subjectId) throws IOException {
    json.writeArrayFieldStart("consentHistory");
    for (var r :
        db.selectFrom(CONSENT_HISTORY)
            .where(CONSENT_HISTORY.SUBJECT_ID.eq(subjectId))
            .orderBy(CONSENT_HISTORY.CHANGED_AT, CONSENT_HISTORY.EVENT_ID)) {
      writeConsent(json, r.getPurpose(), r.getGranted(), r.getPolicyVersion(), r.getChangedAt());
    }
    json.writeEndArray();
  }

  private static void writeConsent(
      JsonGenerator json,
      String purpose,
      boolean granted,
      String policyVersion,
      OffsetDateTime changedAt)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("purpose", purpose);
    json.writeBooleanField("granted", granted);
    json.writeStringField("policyVersion", policyVersion);
    timestamp(json, "changedAt", changedAt);
    json.writeEndObject();
  }

  private void writeConversations(JsonGenerator json, String subjectId) throws IOException {
    json.writeArrayFieldStart("conversations");
    try (Cursor<? extends Record> rows =
        db.select(
                CONVERSATION_SUMMARY.CONVERSATION_ID,
                CONVERSATION_SUMMARY.OWNER_ID,
                CONVERSATION_SUMMARY.TITLE,
                CONVERSATION_SUMMARY.CREATED_AT,
                CONVERSATION_PARTICIPANT.JOINED_AT)
            .from(CONVERSATION_PARTICIPANT)
            .join(CONVERSATION_SUMMARY)
            .on(CONVERSATION_SUMMARY.CONVERSATION_ID.eq(CONVERSATION_PARTICIPANT.CONVERSATION_ID))
            .where(CONVERSATION_PARTICIPANT.USER_ID.eq(subjectId))
            .orderBy(CONVERSATION_SUMMARY.CREATED_AT)
            .fetchSize(FETCH_SIZE)
            .fetchLazy()) {
      for (Record r : rows) {
        boolean owner = subjectId.equals(r.get(CONVERSATION_SUMMARY.OWNER_ID));
        json.writeStartObject();
        json.writeStringField(
            "conversationId", r.get(CONVERSATION_SUMMARY.CONVERSATION_ID).toString());
        json.writeStringField("role", owner ? "OWNER" : "PARTICIPANT");
        if (owner) {
          json.writeStringField("title", r.get(CONVERSATION_SUMMARY.TITLE));
        }
        timestamp(json, "createdAt", r.get(CONVERSATION_SUMMARY.CREATED_AT));
        timestamp(json, "joinedAt", r.get(CONVERSATION_PARTICIPANT.JOINED_AT));
        json.writeEndObject();
      }
    }
    json.writeEndArray();
  }

  /** Delivered messages, with {@code removed} when a moderator upheld a flag on one. */
  private void writeMessages(JsonGenerator json, String subjectId) throws IOException {
    try (var rows =
        db.selectFrom(TIMELINE_MESSAGE)
            .where(TIMELINE_MESSAGE.SENDER_ID.eq(subjectId))
            .and(TIMELINE_MESSAGE.ERASED.isFalse())
            .orderBy(TIMELINE_MESSAGE.SENT_AT, TIMELINE_MESSAGE.MESSAGE_ID)
            .fetchSize(FETCH_SIZE)
            .fetchLazy()) {
      for (var r : rows) {
        writeMessage(
            json,
            r.getMessageId(),
            r.getConversationId(),
            r.getText(),
            r.getSentAt(),
            r.getVerdict());
        json.writeBooleanField("removed", r.getRemoved());
        json.writeEndObject();
      }
    }
  }

  /** Blocked messages are held for audit (until their retention ends), so they are exported. */
  private void writeBlockedMessages(JsonGenerator json, String subjectId) throws IOException {
    try (var rows =
        db.selectFrom(BLOCKED_MESSAGE)
            .where(BLOCKED_MESSAGE.SENDER_ID.eq(subjectId))
            .and(BLOCKED_MESSAGE.ERASED.isFalse())
            .orderBy(BLOCKED_MESSAGE.BLOCKED_AT, BLOCKED_MESSAGE.MESSAGE_ID)
            .fetchSize(FETCH_SIZE)
            .fetchLazy()) {
      for (var r : rows) {
        writeMessage(
            json,
            r.getMessageId(),
            r.getConversationId(),
            r.getText(),
            r.getBlockedAt(),
            Verdict.BLOCKED.name());
        json.writeEndObject();
      }
    }
  }

  /** Flags the subject raised, with their own reason and note. */
  private void writeFlagsRaised(JsonGenerator json, String subjectId) throws IOException {
    json.writeArrayFieldStart("flagsRaised");
    for (var r :
        db.selectFrom(MODERATION_FLAG)
            .where(MODERATION_FLAG.FLAGGER_ID.eq(subjectId))
            .orderBy(MODERATION_FLAG.QUEUE_POSITION)) {
      writeFlag(json, r);
      json.writeStringField("reason", r.getReason());
      json.writeStringField("note", r.getNote());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /**
   * Flags on the subject's messages. Who flagged and why are the flaggers' personal data, not the
   * subject's: they are left out.
   */
  private void writeFlagsAgainst(JsonGenerator json, String subjectId) throws IOException {
    json.writeArrayFieldStart("flagsAgainst");
    for (var r :
        db.selectFrom(MODERATION_FLAG)
            .where(MODERATION_FLAG.MESSAGE_SENDER_ID.eq(subjectId))
            .orderBy(MODERATION_FLAG.QUEUE_POSITION)) {
      writeFlag(json, r);
      json.writeStringField("source", r.getSource());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /**
   * Cards that drew on the subject's messages (API.md: "A subject's export lists, in {@code cards},
   * every card that drew on their messages"). Title and caption are joint personal data of every
   * contributor, the subject's included; the other contributors are not named.
   */
  private void writeCards(JsonGenerator json, String subjectId) throws IOException {
    json.writeArrayFieldStart("cards");
    for (var r :
        db.select(CARD.fields())
            .from(CARD)
            .join(CARD_CONTRIBUTOR)
            .on(CARD_CONTRIBUTOR.CARD_ID.eq(CARD.CARD_ID))
            .where(CARD_CONTRIBUTOR.SUBJECT_ID.eq(subjectId))
            .orderBy(CARD.GENERATED_AT, CARD.CARD_ID)
            .fetchInto(CARD)) {
      json.writeStartObject();
      json.writeStringField("cardId", r.getCardId().toString());
      json.writeStringField("conversationId", r.getConversationId().toString());
      json.writeStringField("status", r.getStatus());
      json.writeStringField("rarity", r.getRarity());
      json.writeStringField("title", r.getErased() ? null : r.getTitle());
      json.writeStringField("caption", r.getErased() ? null : r.getCaption());
      json.writeObjectFieldStart("sentiment");
      json.writeNumberField("polarity", r.getPolarity());
      json.writeNumberField("confidence", r.getConfidence());
      json.writeEndObject();
      json.writeNumberField("messageCount", r.getMessageCount());
      json.writeStringField("provider", r.getProvider());
      timestamp(json, "generatedAt", r.getGeneratedAt());
      json.writeBooleanField("erased", r.getErased());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Opens a message object with API.md's export fields; the caller closes it. */
  private static void writeMessage(
      JsonGenerator json,
      UUID messageId,
      UUID conversationId,
      String text,
      OffsetDateTime sentAt,
      String verdict)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("messageId", messageId.toString());
    json.writeStringField("conversationId", conversationId.toString());
    json.writeStringField("text", text);
    timestamp(json, "sentAt", sentAt);
    json.writeStringField("verdict", verdict);
  }

  /** Opens a flag object with the fields both flag lists share; the caller closes it. */
  private static void writeFlag(JsonGenerator json, ModerationFlagRecord r) throws IOException {
    json.writeStartObject();
    json.writeStringField("flagId", r.getFlagId().toString());
    json.writeStringField("messageId", r.getMessageId().toString());
    json.writeStringField("conversationId", r.getConversationId().toString());
    json.writeStringField("status", r.getStatus());
    json.writeStringField("outcome", r.getOutcome());
    timestamp(json, "raisedAt", r.getRaisedAt());
    timestamp(json, "resolvedAt", r.getResolvedAt());
  }

  private static void timestamp(JsonGenerator json, String field, OffsetDateTime value)
      throws IOException {
    if (value == null) {
      json.writeNullField(field);
    } else {
      json.writeStringField(field, value.toInstant().toString());
    }
  }
}
