package io.parley.command.conversation;

import io.parley.api.IdempotencyKey;
import io.parley.api.conversation.AddParticipantCommand;
import io.parley.api.conversation.ChangeModerationThresholdsCommand;
import io.parley.api.conversation.ConversationLimits;
import io.parley.api.conversation.MessageSendResult;
import io.parley.api.conversation.SendMessageCommand;
import io.parley.api.conversation.StartConversationCommand;
import io.parley.api.error.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The command half of API.md's "Conversations and messages". The caller is the token's subject. */
@RestController
@RequestMapping(path = "/api/v1/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
public class ConversationCommandController {

  private final CommandGateway commandGateway;

  public ConversationCommandController(CommandGateway commandGateway) {
    this.commandGateway = commandGateway;
  }

  public record StartConversationRequest(@NotNull String title, List<String> participants) {}

  public record ConversationCreatedResponse(UUID conversationId) {}

  public record AddParticipantRequest(@NotNull String userId) {}

  public record SendMessageRequest(@NotNull String text, String clientMessageId) {}

  public record ModerationThresholdsRequest(
      @NotNull BigDecimal warnThreshold, @NotNull BigDecimal blockThreshold) {}

  /**
   * With an {@code Idempotency-Key}, the conversation id is derived from (caller, key): a retry
   * targets the same aggregate, which already exists, and answers the same id with no new event.
   */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<ConversationCreatedResponse> startConversation(
      @Valid @RequestBody StartConversationRequest request,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
      Principal caller) {
    UUID conversationId =
        idempotencyKey == null
            ? UUID.randomUUID()
            : UUID.nameUUIDFromBytes(
                ("conversation\n"
                        + caller.getName()
                        + "\n"
                        + IdempotencyKey.requireValid(idempotencyKey, IdempotencyKey.HEADER))
                    .getBytes(StandardCharsets.UTF_8));
    List<String> invited = request.participants() == null ? List.of() : request.participants();
    if (invited.size() > ConversationLimits.PARTICIPANTS_MAX) {
      throw new InvalidInputException(
          "participants", "at most " + ConversationLimits.PARTICIPANTS_MAX + " participants");
    }
    StartConversationCommand command =
        new StartConversationCommand(
            conversationId, caller.getName(), request.title(), new LinkedHashSet<>(invited));
    try {
      commandGateway.sendAndWait(command);
    } catch (AggregateStreamCreationException alreadyCreated) {
      if (idempotencyKey == null) {
        throw alreadyCreated; // a random id collided: not a retry, let it surface as a conflict
      }
      // a retry of the same Idempotency-Key: the first request created it; answer the same
    }
    return ResponseEntity.created(URI.create("/api/v1/conversations/" + conversationId))
        .body(new ConversationCreatedResponse(conversationId));
  }

  @PostMapping(path = "/{conversationId}/participants", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void addParticipant(
      @PathVariable UUID conversationId,
      @Valid @RequestBody AddParticipantRequest request,
      Principal caller) {
    commandGateway.sendAndWait(
        new AddParticipantCommand(conversationId, caller.getName(), request.userId()));
  }

  @PostMapping(path = "/{conversationId}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  public MessageSendResult sendMessage(
      @PathVariable UUID conversationId,
      @Valid @RequestBody SendMessageRequest request,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
      Principal caller) {
    String clientMessageId =
        request.clientMessageId() != null ? request.clientMessageId() : idempotencyKey;
    if (clientMessageId != null) {
      IdempotencyKey.requireValid(
          clientMessageId,
          request.clientMessageId() != null ? "clientMessageId" : IdempotencyKey.HEADER);
    }
    return commandGateway.sendAndWait(
        new SendMessageCommand(
            conversationId, UUID.randomUUID(), caller.getName(), request.text(), clientMessageId));
  }

  @PutMapping(path = "/{conversationId}/moderation", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void changeModerationThresholds(
      @PathVariable UUID conversationId,
      @Valid @RequestBody ModerationThresholdsRequest request,
      Principal caller,
      HttpServletRequest servletRequest) {
    commandGateway.sendAndWait(
        new ChangeModerationThresholdsCommand(
            conversationId,
            caller.getName(),
            servletRequest.isUserInRole("MODERATOR"),
            request.warnThreshold(),
            request.blockThreshold()));
  }
}
