package io.parley.api.conversation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/** A conversation began. {@code participants} includes the owner. */
@Revision("1")
public record ConversationStartedEvent(
    UUID conversationId,
    String ownerId,
    String title,
    Set<String> participants,
    BigDecimal warnThreshold,
    BigDecimal blockThreshold,
    Instant startedAt) {}
