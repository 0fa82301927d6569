package io.parley.query.moderation;

import io.parley.api.error.InvalidInputException;
import io.parley.api.moderation.FetchFlagsQuery;
import io.parley.api.moderation.FlagStatus;
import io.parley.api.moderation.FlagView;
import io.parley.api.moderation.FlagsPage;
import io.parley.query.KeysetCursor;
import java.util.Arrays;
import java.util.List;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The moderator queue of API.md's "Moderation flags" (role MODERATOR, enforced by the security
 * filter chain). Without {@code status} every flag is listed. Pages hold {@code limit} flags
 * (1..200, default 50), oldest first; {@code after} is the {@code nextCursor} of the page before.
 */
@RestController
@RequestMapping(path = "/api/v1/flags", produces = MediaType.APPLICATION_JSON_VALUE)
public class ModerationQueryController {

  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 200;
  static final KeysetCursor QUEUE_CURSOR = new KeysetCursor("q:", "after");

  private final QueryGateway queryGateway;

  public ModerationQueryController(QueryGateway queryGateway) {
    this.queryGateway = queryGateway;
  }

  public record FlagsResponse(List<FlagView> items, String nextCursor) {}

  @GetMapping
  public FlagsResponse flags(
      @RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "after", required = false) String after) {
    int pageSize = limit == null ? DEFAULT_PAGE : limit;
    if (pageSize < 1 || pageSize > MAX_PAGE) {
      throw new InvalidInputException("limit", "must be 1.." + MAX_PAGE);
    }
    FlagsPage page =
        queryGateway
            .query(
                new FetchFlagsQuery(parseStatus(status), pageSize, QUEUE_CURSOR.decode(after)),
                ResponseTypes.instanceOf(FlagsPage.class))
            .join();
    return new FlagsResponse(page.items(), QUEUE_CURSOR.encode(page.nextAfterSequence()));
  }

  private static FlagStatus parseStatus(String status) {
    if (status == null) {
      return null;
    }
    return Arrays.stream(FlagStatus.values())
        .filter(s -> s.name().equals(status))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "status", "must be one of " + Arrays.toString(FlagStatus.values())));
  }
}
