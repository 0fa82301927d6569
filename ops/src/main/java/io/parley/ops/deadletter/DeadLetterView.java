package io.parley.ops.deadletter;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * One parked event, without its payload (API.md "Operations"): which processor parked it, in which
 * sequence (an aggregate id for a projection, the saga id for a saga), the event's type, id and
 * position, the failure (type and masked message; null for an event parked behind another), when it
 * was parked and last tried, and how many retries failed.
 */
public record DeadLetterView(
    @Schema(description = "The dead letter's id") String id,
    @Schema(description = "The processor (processing group) that parked it") String processor,
    @Schema(
            description =
                "The sequence the letter is parked in: an aggregate id (projections) or the saga"
                    + " id (sagas); any other identifier (the timeline orders by sender) as"
                    + " sha256: and 16 hex digits of its hash")
        String sequenceId,
    @Schema(description = "The event's type (simple class name)") String eventType,
    String eventId,
    @Schema(description = "The event's global index; null when unknown") Long globalIndex,
    @Schema(description = "Null for an event parked behind an earlier one of its sequence")
        Cause cause,
    Instant enqueuedAt,
    Instant lastTouchedAt,
    @Schema(description = "Retries of this letter that failed") int retries) {

  /** A failure: its exception type in full, its message masked (no personal data). */
  public record Cause(String type, String message) {}
}
