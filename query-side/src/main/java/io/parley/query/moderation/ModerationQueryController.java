package io.parley.query.moderation;

import io.parley.api.PageSize;
import io.parley.api.error.InvalidInputException;
import io.parley.api.moderation.FetchFlagsQuery;
import io.parley.api.moderation.FlagStatus;
import io.parley.api.moderation.FlagView;
import io.parley.api.moderation.FlagsPage;
import io.parley.query.KeysetCursor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Moderation flags")
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

  @Operation(
      summary = "List flags (the moderator queue)",
      description =
          "Role MODERATOR. Oldest first, a page at a time: pass nextCursor as after for the next"
              + " page; nextCursor is null on the last page. toxicity is the message's score;"
              + " reason is null once the flagger's data is erased or expired; outcome is null"
              + " until RESOLVED.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of flags",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = FlagsResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"items": [{"flagId": "c41e7a90-2b6d-4f38-9e15-7a0d3b8c6f22",
                                      "messageId": "9d2f6b1a-5c3e-4f70-8a19-6e4b2c7d0f35",
                                      "conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                                      "reason": "toxicity", "source": "AUTO",
                                      "status": "PENDING",
                                      "raisedAt": "2026-12-01T09:15:02.481Z",
                                      "toxicity": 0.712, "outcome": null}],
                           "nextCursor": null}""")))
  @ApiResponse(
      responseCode = "400",
      description =
          "status not PENDING, REVIEWING or RESOLVED; limit not 1..200; after not a cursor this"
              + " API returned")
  @GetMapping
  public FlagsResponse flags(
      @Parameter(
              description = "Only flags in this state; all flags when absent",
              schema = @Schema(implementation = FlagStatus.class))
          @RequestParam(name = "status", required = false)
          String status,
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
      @Parameter(description = "The nextCursor of the page before; absent for the first page")
          @RequestParam(name = "after", required = false)
          String after) {
    int pageSize = PageSize.of(limit, DEFAULT_PAGE, MAX_PAGE);
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
