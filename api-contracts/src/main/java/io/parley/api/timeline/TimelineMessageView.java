package io.parley.api.timeline;

import io.parley.api.conversation.Verdict;
import java.time.Instant;
import java.util.UUID;

/** A message as a reader sees it; {@code text} is null when {@code erased}. */
public record TimelineMessageView(
    UUID messageId,
    long position,
    String senderId,
    String text,
    Instant sentAt,
    Verdict verdict,
    boolean erased) {}
