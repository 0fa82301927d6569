package io.parley.query.audit;

import io.parley.api.audit.AuditAccessedEvent;
import io.parley.api.conversation.ConversationLimits;
import io.parley.api.error.InvalidInputException;
import io.parley.api.error.InvalidInputException.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audit/events}: the raw event stream for compliance (role COMPLIANCE, checked
 * by the security chain), as NDJSON, filtered, oldest first, personal fields decrypted or {@code
 * "[erased]"}. Every read that passes validation is recorded ({@link AuditAccessLog}).
 */
@RestController
@Tag(name = "Audit")
public class AuditEventController {

  public static final String NDJSON = "application/x-ndjson";
  static final int DEFAULT_LIMIT = 1_000;
  static final int MAX_LIMIT = 10_000;

  static final String LINE =
      """
      {"globalIndex":42,"eventId":"5e0c…","type":"MessageSentEvent",\
      "aggregateType":"ConversationAggregate","aggregateId":"3b0a4c2e-…","sequence":3,\
      "timestamp":"2026-12-01T09:15:02.481Z",\
      "metadata":{"actor":"alice","correlationId":"9f1…"},\
      "payload":{"conversationId":"3b0a4c2e-…","senderId":"alice","text":"[erased]","…":"…"}}""";

  private final AuditEventReader reader;
  private final AuditEventTypes types;
  private final AuditAccessLog accessLog;

  public AuditEventController(
      AuditEventReader reader, AuditEventTypes types, AuditAccessLog accessLog) {
    this.reader = reader;
    this.types = types;
    this.accessLog = accessLog;
  }

  @Operation(
      summary = "Replay stored events",
      description =
          "Role COMPLIANCE; header X-Audit-Reason (1..500 characters). NDJSON, one event a line,"
              + " oldest first (by globalIndex). Filters combine with AND. from is inclusive, to"
              + " exclusive. An unknown aggregate or subject gives an empty stream. Personal"
              + " fields are decrypted, or \"[erased]\" once their key is gone. Page with"
              + " after=<last globalIndex>. Each read is recorded as an AuditAccessedEvent.")
  @ApiResponse(
      responseCode = "200",
      description = "The events, one JSON object a line",
      content = @Content(mediaType = NDJSON, examples = @ExampleObject(value = LINE)))
  @ApiResponse(responseCode = "400", description = "A parameter or X-Audit-Reason is invalid")
  @ApiResponse(responseCode = "403", description = "The caller lacks role COMPLIANCE")
  @GetMapping(path = "/api/v1/audit/events", produces = NDJSON)
  public void events(
      Principal caller,
      @RequestHeader(name = AuditAccessLog.REASON_HEADER, required = false) String reasonHeader,
      @Parameter(description = "Only this aggregate's events (a UUID, or a user id)")
          @RequestParam(required = false)
          String aggregateId,
      @Parameter(
              description =
                  "Only events whose actor is this user or whose personal data is" + " theirs")
          @RequestParam(required = false)
          String subjectId,
      @Parameter(description = "Only events of this simple type name, e.g. MessageSentEvent")
          @RequestParam(required = false)
          String type,
      @Parameter(description = "ISO-8601 instant, inclusive") @RequestParam(required = false)
          String from,
      @Parameter(description = "ISO-8601 instant, exclusive") @RequestParam(required = false)
          String to,
      @Parameter(description = "A globalIndex; only later events") @RequestParam(required = false)
          String after,
      @Parameter(description = "1..10000, default 1000") @RequestParam(required = false)
          String limit,
      HttpServletResponse response)
      throws IOException {
    String reason;
    AuditEventQuery query;
    try {
      reason = AuditAccessLog.requireReason(reasonHeader);
      query = validate(aggregateId, subjectId, type, from, to, after, limit);
    } catch (InvalidInputException invalid) {
      count("rejected");
      throw invalid;
    }
    Map<String, String> filters = new LinkedHashMap<>();
    put(filters, "aggregateId", aggregateId);
    put(filters, "subjectId", subjectId);
    put(filters, "type", type);
    put(filters, "from", from);
    put(filters, "to", to);
    put(filters, "after", after);
    put(filters, "limit", limit);

    response.setContentType(NDJSON);
    response.setCharacterEncoding("UTF-8");
    AtomicLong written = new AtomicLong();
    try {
      reader.write(query, response.getOutputStream(), written::set);
    } catch (UncheckedIOException gone) {
      // The client went away mid-stream: the transaction has ended; what they got is recorded.
      count("aborted");
      accessLog.record(caller.getName(), reason, AuditAccessedEvent.EVENTS, filters, written.get());
      throw gone.getCause();
    } catch (RuntimeException failed) {
      count("failed");
      throw failed;
    }
    accessLog.record(caller.getName(), reason, AuditAccessedEvent.EVENTS, filters, written.get());
    count("ok");
  }

  AuditEventQuery validate(
      String aggregateId,
      String subjectId,
      String type,
      String from,
      String to,
      String after,
      String limit) {
    List<FieldProblem> problems = new ArrayList<>();
    String userIdRule = "must be 1..64 characters of [A-Za-z0-9._@-]";
    if (aggregateId != null && !ConversationLimits.isValidUserId(aggregateId)) {
      problems.add(new FieldProblem("aggregateId", "must be an aggregate id: a UUID or a user id"));
    }
    if (subjectId != null && !ConversationLimits.isValidUserId(subjectId)) {
      problems.add(new FieldProblem("subjectId", userIdRule));
    }
    String payloadType = null;
    if (type != null) {
      payloadType = types.payloadType(type).orElse(null);
      if (payloadType == null) {
        problems.add(
            new FieldProblem("type", "must be the simple name of an event, e.g. MessageSentEvent"));
      }
    }
    Instant fromInstant = instant("from", from, problems);
    Instant toInstant = instant("to", to, problems);
    if (fromInstant != null && toInstant != null && fromInstant.isAfter(toInstant)) {
      problems.add(new FieldProblem("from", "must not be after to"));
    }
    long afterIndex = 0;
    if (after != null) {
      afterIndex = number(after, Long.MAX_VALUE);
      if (afterIndex < 0) {
        problems.add(new FieldProblem("after", "must be a globalIndex: an integer >= 0"));
      }
    }
    int max = DEFAULT_LIMIT;
    if (limit != null) {
      long parsed = number(limit, MAX_LIMIT);
      if (parsed < 1) {
        problems.add(new FieldProblem("limit", "must be an integer from 1 to " + MAX_LIMIT));
      } else {
        max = (int) parsed;
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new AuditEventQuery(
        aggregateId, subjectId, payloadType, fromInstant, toInstant, afterIndex, max);
  }

  private static Instant instant(String name, String value, List<FieldProblem> problems) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      problems.add(
          new FieldProblem(name, "must be an ISO-8601 UTC timestamp, e.g. 2026-12-01T00:00:00Z"));
      return null;
    }
  }

  /** A decimal integer 0..max, else -1. */
  private static long number(String value, long max) {
    if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    try {
      long parsed = Long.parseLong(value);
      return parsed <= max ? parsed : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void put(Map<String, String> filters, String name, String value) {
    if (value != null) {
      filters.put(name, value);
    }
  }

  private void count(String outcome) {
    accessLog.count(AuditAccessedEvent.EVENTS, outcome);
  }
}
