package io.parley.command.moderation;

import io.parley.api.moderation.FetchFlaggableMessageQuery;
import io.parley.api.moderation.FlagMessageCommand;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlaggableMessageView;
import io.parley.api.moderation.ResolveFlagCommand;
import io.parley.api.moderation.StartFlagReviewCommand;
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
public class FlagCommandController {

  private final CommandGateway commandGateway;
  private final QueryGateway queryGateway;

  public FlagCommandController(CommandGateway commandGateway, QueryGateway queryGateway) {
    this.commandGateway = commandGateway;
    this.queryGateway = queryGateway;
  }

  public record FlagMessageRequest(@NotNull String reason, String note) {}

  public record FlagRaisedResponse(UUID flagId) {}

  public record ResolveFlagRequest(@NotNull FlagOutcome outcome) {}

  /**
   * The message and the caller's membership come from the read model (the command side keeps no
   * message index): a message is flaggable once it is visible in its timeline. Flagging the same
   * message again answers the same flag.
   */
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

  @PostMapping(path = "/api/v1/flags/{flagId}/review")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void startReview(@PathVariable UUID flagId, Principal caller) {
    commandGateway.sendAndWait(new StartFlagReviewCommand(flagId, caller.getName()));
  }

  @PostMapping(path = "/api/v1/flags/{flagId}/resolve", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void resolve(
      @PathVariable UUID flagId, @Valid @RequestBody ResolveFlagRequest request, Principal caller) {
    commandGateway.sendAndWait(new ResolveFlagCommand(flagId, caller.getName(), request.outcome()));
  }
}
