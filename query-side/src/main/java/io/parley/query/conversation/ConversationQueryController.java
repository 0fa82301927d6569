package io.parley.query.conversation;

import io.parley.api.PageSize;
import io.parley.api.conversation.ConversationSummaries;
import io.parley.api.conversation.ConversationView;
import io.parley.api.conversation.FetchConversationQuery;
import io.parley.api.conversation.FetchConversationsQuery;
import io.parley.api.conversation.Verdict;
import io.parley.api.timeline.FetchTimelineQuery;
import io.parley.api.timeline.TimelinePage;
import io.parley.query.KeysetCursor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The read half of "Conversations and messages" (docs/api.md). Reads are eventually consistent. */
@RestController
@Tag(name = "Conversations and messages")
@RequestMapping(path = "/api/v1/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
public class ConversationQueryController {

  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 200;

  /** Opaque keyset cursor: the position to read below. */
  static final KeysetCursor TIMELINE_CURSOR = new KeysetCursor("p:", "before");

  private final QueryGateway queryGateway;

  public ConversationQueryController(QueryGateway queryGateway) {
    this.queryGateway = queryGateway;
  }

  /** One timeline entry as API.md names it. */
  public record TimelineItem(
      UUID messageId,
      String senderId,
      String text,
      Instant sentAt,
      Verdict verdict,
      boolean erased) {}

  public record TimelineResponse(List<TimelineItem> items, String nextCursor) {}

  @Operation(
      summary = "List the caller's conversations",
      description = "Role USER. Every conversation the caller takes part in.")
  @ApiResponse(
      responseCode = "200",
      description = "The caller's conversations",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = ConversationSummaries.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"items": [{"conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                                      "title": "Weekend plans",
                                      "lastMessageAt": "2026-12-01T09:15:02.481Z",
                                      "messageCount": 12}]}""")))
  @ApiResponse(responseCode = "400", description = "The request's URL or a header is not allowed")
  @GetMapping
  public ConversationSummaries conversations(Principal caller) {
    return queryGateway
        .query(
            new FetchConversationsQuery(caller.getName()),
            ResponseTypes.instanceOf(ConversationSummaries.class))
        .join();
  }

  @Operation(summary = "Read a conversation", description = "Role USER; participants only.")
  @ApiResponse(
      responseCode = "200",
      description = "The conversation",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = ConversationView.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                           "title": "Weekend plans", "ownerId": "alice",
                           "participants": ["alice", "bob", "carol"],
                           "createdAt": "2026-12-01T08:00:00.125Z", "messageCount": 12,
                           "moderation": {"warnThreshold": 0.6, "blockThreshold": 0.8}}""")))
  @ApiResponse(responseCode = "400", description = "conversationId is not a UUID")
  @ApiResponse(responseCode = "403", description = "Only participants may read this conversation")
  @ApiResponse(responseCode = "404", description = "No such conversation")
  @GetMapping("/{conversationId}")
  public ConversationView conversation(@PathVariable UUID conversationId, Principal caller) {
    return queryGateway
        .query(
            new FetchConversationQuery(conversationId, caller.getName()),
            ResponseTypes.instanceOf(ConversationView.class))
        .join();
  }

  @Operation(
      summary = "Read a conversation's messages",
      description =
          "Role USER; participants only. Newest first, a page at a time: pass nextCursor as"
              + " before for the next (older) page; nextCursor is null on the last page. Erased"
              + " or expired content reads text: null, erased: true; blocked messages and those"
              + " removed by moderation are absent.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of the timeline",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = TimelineResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"items": [{"messageId": "9d2f6b1a-5c3e-4f70-8a19-6e4b2c7d0f35",
                                      "senderId": "bob", "text": "See you at ten <3",
                                      "sentAt": "2026-12-01T09:15:02.481Z",
                                      "verdict": "ALLOWED", "erased": false},
                                     {"messageId": "0b7e3c5d-1a2f-4e68-9d40-8c6b5a3f2e19",
                                      "senderId": "carol", "text": null,
                                      "sentAt": "2026-12-01T09:14:40.003Z",
                                      "verdict": "ALLOWED", "erased": true}],
                           "nextCursor": "cDo0Mg"}""")))
  @ApiResponse(
      responseCode = "400",
      description =
          "limit not 1..200; before not a cursor this API returned; conversationId not a UUID")
  @ApiResponse(responseCode = "403", description = "Only participants may read this conversation")
  @ApiResponse(responseCode = "404", description = "No such conversation")
  @GetMapping("/{conversationId}/messages")
  public TimelineResponse messages(
      @PathVariable UUID conversationId,
      @Parameter(
              description = "Page size",
              schema =
                  @Schema(
                      type = "integer",
                      minimum = "1",
                      maximum = "" + MAX_PAGE,
                      defaultValue = "" + DEFAULT_PAGE))
          @RequestParam(name = "limit", required = false)
          Integer limit,
      @Parameter(description = "The nextCursor of the page before; absent for the newest page")
          @RequestParam(name = "before", required = false)
          String before,
      Principal caller) {
    int pageSize = PageSize.of(limit, DEFAULT_PAGE, MAX_PAGE);
    TimelinePage page =
        queryGateway
            .query(
                new FetchTimelineQuery(
                    conversationId, caller.getName(), pageSize, TIMELINE_CURSOR.decode(before)),
                ResponseTypes.instanceOf(TimelinePage.class))
            .join();
    List<TimelineItem> items =
        page.items().stream()
            .map(
                m ->
                    new TimelineItem(
                        m.messageId(), m.senderId(), m.text(), m.sentAt(), m.verdict(), m.erased()))
            .toList();
    return new TimelineResponse(items, TIMELINE_CURSOR.encode(page.nextBeforePosition()));
  }
}
