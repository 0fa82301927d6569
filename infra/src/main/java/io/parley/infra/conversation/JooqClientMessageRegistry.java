package io.parley.infra.conversation;

import static io.parley.migrations.jooq.Tables.CLIENT_MESSAGE;

import io.parley.api.conversation.MessageSendResult;
import io.parley.api.conversation.Verdict;
import io.parley.command.conversation.ClientMessageRegistry;
import io.parley.infra.database.BatchedDelete;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.modelling.command.ConcurrencyException;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * {@link ClientMessageRegistry} on PostgreSQL. jOOQ runs on Spring's transaction-aware data source,
 * so these writes share the command's transaction with the event append.
 */
@Component
public class JooqClientMessageRegistry implements ClientMessageRegistry {

  private final DSLContext db;

  public JooqClientMessageRegistry(DSLContext db) {
    this.db = db;
  }

  @Override
  public Optional<MessageSendResult> find(
      UUID conversationId, String senderId, String clientMessageId) {
    return db.selectFrom(CLIENT_MESSAGE)
        .where(
            CLIENT_MESSAGE
                .CONVERSATION_ID
                .eq(conversationId)
                .and(CLIENT_MESSAGE.SENDER_ID.eq(senderId))
                .and(CLIENT_MESSAGE.CLIENT_MESSAGE_ID.eq(clientMessageId)))
        .fetchOptional(
            r ->
                new MessageSendResult(
                    r.getMessageId(), Verdict.valueOf(r.getVerdict()), r.getToxicity()));
  }

  @Override
  public void register(
      UUID conversationId, String senderId, String clientMessageId, MessageSendResult result) {
    int inserted =
        db.insertInto(CLIENT_MESSAGE)
            .set(CLIENT_MESSAGE.CONVERSATION_ID, conversationId)
            .set(CLIENT_MESSAGE.SENDER_ID, senderId)
            .set(CLIENT_MESSAGE.CLIENT_MESSAGE_ID, clientMessageId)
            .set(CLIENT_MESSAGE.MESSAGE_ID, result.messageId())
            .set(CLIENT_MESSAGE.VERDICT, result.verdict().name())
            .set(CLIENT_MESSAGE.TOXICITY, result.toxicity())
            .onConflictDoNothing()
            .execute();
    if (inserted == 0) {
      // Another node committed the same key first; the retry will find its outcome.
      throw new ConcurrencyException("clientMessageId was registered concurrently");
    }
  }

  /**
   * Forgets {@code clientMessageId}s older than {@code retention} (with the idempotency keys,
   * {@code parley.idempotency-key-retention}): a retry after that is a new message. Returns how
   * many.
   */
  public int forgetOlderThan(Duration retention) {
    return BatchedDelete.deleteWhere(
        db,
        CLIENT_MESSAGE,
        CLIENT_MESSAGE.CREATED_AT.lt(OffsetDateTime.now(ZoneOffset.UTC).minus(retention)),
        CLIENT_MESSAGE.CONVERSATION_ID,
        CLIENT_MESSAGE.SENDER_ID,
        CLIENT_MESSAGE.CLIENT_MESSAGE_ID);
  }
}
