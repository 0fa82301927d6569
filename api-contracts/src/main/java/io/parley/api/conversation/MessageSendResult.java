package io.parley.api.conversation;

import java.math.BigDecimal;
import java.util.UUID;

/** What sending a message answers; a retry with the same client key answers the same. */
public record MessageSendResult(UUID messageId, Verdict verdict, BigDecimal toxicity) {}
