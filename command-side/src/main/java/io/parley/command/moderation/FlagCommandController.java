package io.parley.command.moderation;

import io.parley.api.moderation.FetchFlaggableMessageQuery;
import io.parley.api.moderation.FlagMessageCommand;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlaggableMessageView;
import io.parley.api.moderation.ResolveFlagCommand;
import io.parley.api.moderation.StartFlagReviewCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command half of API.md's "Moderation flags". Flagging is open to participants of the
 * message's conversation (role USER); reviewing and resolving need MODERATOR (enforced by the
 * security filter chain on {@code /api/v1/flags/**}).
 */
@RestController
@Tag(name = "Moderation flags")
public class FlagCommandController {

  private final CommandGateway commandGateway;
  private final QueryGateway queryGateway;

  public FlagCommandController(CommandGateway commandGateway, QueryGateway queryGateway) {
    this.commandGateway = commandGateway;
    this.queryGateway = queryGateway;
  }

  @Schema(
      example =
          """
          {"reason": "harassment", "note": "Third message like this today"}""")
  public record FlagMessageRequest(
      @Schema(
              description = "1..100 characters after trimming, no control characters",
              minLength = 1,
              maxLength = FlagLimits.REASON_MAX)
          @NotNull
          String reason,
      @Schema(
              description = "Optional, up to 2,000 characters; seen by moderators",
              maxLength = FlagLimits.NOTE_MAX)
          String note) {}

  public record FlagRaisedResponse(UUID flagId) {}

  @Schema(
      example =
          """
          {"outcome": "UPHELD"}""")
  public record ResolveFlagRequest(
      @Schema(description = "UPHELD removes the message from every timeline; DISMISSED keeps it")
          @NotNull
          FlagOutcome outcome) {}

  /**
   * The message and the caller's membership come from the read model (the command side keeps no
   * message index): a message is flaggable once it is visible in its timeline. Flagging the same
   * message again answers the same flag.
   */
  @Operation(
      summary = "Flag a message for moderators",
      description =
          "Role USER; participants of the message's conversation only. Flagging the same message"
              + " again answers the same flag.")
  @ApiResponse(
      responseCode = "201",
      description = "Flagged",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = FlagRaisedResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                      {"flagId": "c41e7a90-2b6d-4f38-9e15-7a0d3b8c6f22"}""")))
  @ApiResponse(
      responseCode = "400",
      description =
          "reason missing, blank, over 100 characters or with control characters; note over"
              + " 2,000 characters")
  @ApiResponse(responseCode = "403", description = "Only participants may read this conversation")
  @ApiResponse(
      responseCode = "404",
      description = "No such message (also one that was blocked or removed)")
  @PostMapping(
      path = "/api/v1/messages/{messageId}/flags",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  public FlagRaisedResponse flagMessage(
      @PathVariable UUID messageId,
      @Valid @RequestBody FlagMessageRequest request,
      Principal caller) {
    FlaggableMessageView message =
        queryGateway
            .query(
                new FetchFlaggableMessageQuery(messageId, caller.getName()),
                ResponseTypes.instanceOf(FlaggableMessageView.class))
            .join();
    UUID flagId =
        commandGateway.sendAndWait(
            new FlagMessageCommand(
                FlagMessageCommand.flagIdFor(messageId, caller.getName()),
                messageId,
                message.conversationId(),
                message.senderId(),
                caller.getName(),
                request.reason(),
                request.note(),
                message.toxicity()));
    return new FlagRaisedResponse(flagId);
  }

  @Operation(
      summary = "Start reviewing a flag",
      description = "Role MODERATOR. Moves the flag from PENDING to REVIEWING.")
  @ApiResponse(responseCode = "204", description = "Now REVIEWING")
  @ApiResponse(responseCode = "400", description = "flagId is not a UUID")
  @ApiResponse(responseCode = "404", description = "No such flag")
  @ApiResponse(
      responseCode = "409",
      description = "Cannot review a flag that is REVIEWING; it must be PENDING")
  @PostMapping(path = "/api/v1/flags/{flagId}/review")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void startReview(@PathVariable UUID flagId, Principal caller) {
    commandGateway.sendAndWait(new StartFlagReviewCommand(flagId, caller.getName()));
  }

  @Operation(
      summary = "Resolve a flag",
      description =
          "Role MODERATOR. Moves the flag from REVIEWING to RESOLVED. UPHELD removes the message"
              + " from every timeline.")
  @ApiResponse(responseCode = "204", description = "RESOLVED")
  @ApiResponse(
      responseCode = "400",
      description = "outcome missing or not UPHELD or DISMISSED; flagId is not a UUID")
  @ApiResponse(responseCode = "404", description = "No such flag")
  @ApiResponse(
      responseCode = "409",
      description = "Cannot resolve a flag that is PENDING; it must be REVIEWING")
  @PostMapping(path = "/api/v1/flags/{flagId}/resolve", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void resolve(
      @PathVariable UUID flagId, @Valid @RequestBody ResolveFlagRequest request, Principal caller) {
    commandGateway.sendAndWait(new ResolveFlagCommand(flagId, caller.getName(), request.outcome()));
  }
}
