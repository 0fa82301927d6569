package io.parley.query.conversation;

import io.parley.api.conversation.ConversationSummaries;
import io.parley.api.conversation.ConversationView;
import io.parley.api.conversation.FetchConversationQuery;
import io.parley.api.conversation.FetchConversationsQuery;
import io.parley.api.conversation.Verdict;
import io.parley.api.error.InvalidInputException;
import io.parley.api.timeline.FetchTimelineQuery;
import io.parley.api.timeline.TimelinePage;
import io.parley.query.KeysetCursor;
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

/** The read half of API.md's "Conversations and messages". Reads are eventually consistent. */
@RestController
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

  @GetMapping
  public ConversationSummaries conversations(Principal caller) {
    return queryGateway
        .query(
            new FetchConversationsQuery(caller.getName()),
            ResponseTypes.instanceOf(ConversationSummaries.class))
        .join();
  }

  @GetMapping("/{conversationId}")
  public ConversationView conversation(@PathVariable UUID conversationId, Principal caller) {
    return queryGateway
        .query(
            new FetchConversationQuery(conversationId, caller.getName()),
            ResponseTypes.instanceOf(ConversationView.class))
        .join();
  }

  @GetMapping("/{conversationId}/messages")
  public TimelineResponse messages(
      @PathVariable UUID conversationId,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "before", required = false) String before,
      Principal caller) {
    int pageSize = limit == null ? DEFAULT_PAGE : limit;
    if (pageSize < 1 || pageSize > MAX_PAGE) {
      throw new InvalidInputException("limit", "must be 1.." + MAX_PAGE);
    }
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
