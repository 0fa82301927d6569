package io.parley.query.conversation;

import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;

import io.parley.api.error.ForbiddenException;
import io.parley.api.error.NotFoundException;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Who may read a conversation: its participants, as the conversation read model knows them. */
@Component
public class ConversationAccess {

  private final DSLContext db;

  public ConversationAccess(DSLContext db) {
    this.db = db;
  }

  /**
   * Throws {@link NotFoundException} (unknown) or {@link ForbiddenException} (not a participant).
   */
  public void requireParticipant(UUID conversationId, String userId) {
    var participant =
        db.select(CONVERSATION_PARTICIPANT.USER_ID)
            .from(CONVERSATION_SUMMARY)
            .leftJoin(CONVERSATION_PARTICIPANT)
            .on(
                CONVERSATION_PARTICIPANT
                    .CONVERSATION_ID
                    .eq(CONVERSATION_SUMMARY.CONVERSATION_ID)
                    .and(CONVERSATION_PARTICIPANT.USER_ID.eq(userId)))
            .where(CONVERSATION_SUMMARY.CONVERSATION_ID.eq(conversationId))
            .fetchOptional();
    if (participant.isEmpty()) {
      throw new NotFoundException("No such conversation");
    }
    if (participant.get().value1() == null) {
      throw new ForbiddenException("Only participants may read this conversation");
    }
  }
}
