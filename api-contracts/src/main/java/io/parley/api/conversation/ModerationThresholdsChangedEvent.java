package io.parley.api.conversation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ModerationThresholdsChangedEvent(
    UUID conversationId,
    BigDecimal warnThreshold,
    BigDecimal blockThreshold,
    String changedBy,
    Instant changedAt) {}
