package io.parley.query.audit;

import io.parley.api.audit.AuditAccessedEvent;
import io.parley.api.error.InvalidInputException;
import io.parley.api.error.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * API.md "Audit": a conversation as it stood at an instant, rebuilt from its events (role
 * COMPLIANCE, enforced by the security filter chain). {@code asOf} is required: an ISO-8601 instant
 * ({@code 2026-12-01T09:15:02.481Z}, or with an offset). An instant after the latest event reads
 * the state so far: it is not refused, because event timestamps come from the clocks of the nodes
 * (which differ, and may be set back), so "the future" is not a line this node can draw for an
 * event another node just stamped. Every read that passed validation — a 404 included: it tells the
 * reader the conversation did not exist then — is recorded as an {@link AuditAccessedEvent}.
 */
@RestController
@Tag(name = "Audit")
@RequestMapping(path = "/api/v1/audit/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
public class AuditConversationStateController {

  private final ConversationStateRebuilder rebuilder;
  private final AuditAccessLog accessLog;

  public AuditConversationStateController(
      ConversationStateRebuilder rebuilder, AuditAccessLog accessLog) {
    this.rebuilder = rebuilder;
    this.accessLog = accessLog;
  }

  @Operation(
      summary = "A conversation as it stood at an instant",
      description =
          "Role COMPLIANCE; header X-Audit-Reason (1..500 characters) required. Rebuilt from the"
              + " conversation's events and its flags' events stamped at or before asOf, not from"
              + " read models. Messages include blocked ones (verdict BLOCKED); removed is true"
              + " when an upheld flag removed the message by asOf. The title reads \"[erased]\""
              + " once the owner's data is erased. The read is recorded as an"
              + " AuditAccessedEvent.")
  @ApiResponse(
      responseCode = "200",
      description = "The conversation at asOf",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = ConversationStateView.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                           "asOf": "2026-12-01T09:20:00Z",
                           "title": "Weekend plans", "ownerId": "alice",
                           "participants": ["alice", "bob", "carol"],
                           "moderation": {"warnThreshold": 0.6, "blockThreshold": 0.8},
                           "messages": [{"messageId": "9d2f6b1a-5c3e-4f70-8a19-6e4b2c7d0f35",
                                         "senderId": "bob", "verdict": "WARNED",
                                         "sentAt": "2026-12-01T09:15:02.481Z",
                                         "removed": true}],
                           "flags": [{"flagId": "c41e7a90-2b6d-4f38-9e15-7a0d3b8c6f22",
                                      "messageId": "9d2f6b1a-5c3e-4f70-8a19-6e4b2c7d0f35",
                                      "status": "RESOLVED", "outcome": "UPHELD"}]}""")))
  @ApiResponse(
      responseCode = "400",
      description =
          "X-Audit-Reason missing or not 1..500 characters; conversationId not a UUID; asOf"
              + " missing or not an ISO-8601 instant")
  @ApiResponse(responseCode = "404", description = "The conversation did not exist at asOf")
  @GetMapping("/{conversationId}/state")
  public ConversationStateView state(
      @PathVariable UUID conversationId,
      @Parameter(
              description =
                  "The instant, ISO-8601 (2026-12-01T09:20:00Z; an offset's + is sent as %2B);"
                      + " events stamped at or before it are applied",
              required = true)
          @RequestParam(name = "asOf", required = false)
          String asOf,
      @Parameter(description = "Why the officer reads this (1..500 characters); recorded")
          @RequestHeader(name = AuditAccessLog.REASON_HEADER, required = false)
          String reasonHeader,
      Principal reader) {
    String reason;
    Instant instant;
    try {
      reason = AuditAccessLog.requireReason(reasonHeader);
      instant = parseAsOf(asOf);
    } catch (InvalidInputException rejected) {
      accessLog.count(AuditAccessedEvent.CONVERSATION_STATE, "rejected");
      throw rejected;
    }
    ConversationStateAsOf rebuild = rebuilder.rebuild(conversationId, instant);
    Optional<ConversationStateView> state = rebuild.state();
    accessLog.record(
        reader.getName(),
        reason,
        AuditAccessedEvent.CONVERSATION_STATE,
        Map.of("conversationId", conversationId.toString(), "asOf", asOf),
        rebuild.eventsApplied());
    accessLog.count(AuditAccessedEvent.CONVERSATION_STATE, "ok");
    return state.orElseThrow(() -> new NotFoundException("The conversation did not exist then"));
  }

  /** An ISO-8601 instant, with Z or an offset; otherwise a 400 naming {@code asOf}. */
  static Instant parseAsOf(String asOf) {
    if (asOf == null || asOf.isBlank()) {
      throw new InvalidInputException("asOf", "is required: an ISO-8601 instant");
    }
    try {
      return Instant.parse(asOf.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "asOf", "must be an ISO-8601 instant such as 2026-12-01T09:20:00Z");
    }
  }
}
