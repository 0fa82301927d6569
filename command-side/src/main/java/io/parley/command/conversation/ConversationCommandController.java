package io.parley.command.conversation;

import io.parley.api.IdempotencyKey;
import io.parley.api.TimeOrderedIds;
import io.parley.api.conversation.AddParticipantCommand;
import io.parley.api.conversation.ChangeModerationThresholdsCommand;
import io.parley.api.conversation.ConversationLimits;
import io.parley.api.conversation.MessageSendResult;
import io.parley.api.conversation.SendMessageCommand;
import io.parley.api.conversation.StartConversationCommand;
import io.parley.api.error.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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

/**
 * The command half of "Conversations and messages" (docs/api.md). The caller is the token's
 * subject. What every operation shares — bearer auth, 401/403/503, the problem document, {@code
 * Idempotency-Key} — is documented once, by infra's {@code OpenApiConfig}.
 */
@RestController
@Tag(name = "Conversations and messages")
@RequestMapping(path = "/api/v1/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
public class ConversationCommandController {

  private final CommandGateway commandGateway;

  public ConversationCommandController(CommandGateway commandGateway) {
    this.commandGateway = commandGateway;
  }

  @Schema(
      example =
          """
          {"title": "Weekend plans", "participants": ["bob", "carol"]}""")
  public record StartConversationRequest(
      @Schema(
              description = "1..200 characters after trimming, no control characters",
              minLength = 1,
              maxLength = ConversationLimits.TITLE_MAX)
          @NotNull
          String title,
      @ArraySchema(
              arraySchema =
                  @Schema(description = "User ids to add besides the caller, who is always one"),
              maxItems = ConversationLimits.PARTICIPANTS_MAX,
              schema = @Schema(pattern = "^" + ConversationLimits.USER_ID_PATTERN + "$"))
          List<String> participants) {}

  public record ConversationCreatedResponse(UUID conversationId) {}

  @Schema(
      example =
          """
          {"userId": "dave"}""")
  public record AddParticipantRequest(
      @Schema(
              description = "The user id (JWT sub) to add",
              pattern = "^" + ConversationLimits.USER_ID_PATTERN + "$")
          @NotNull
          String userId) {}

  @Schema(
      example =
          """
          {"text": "See you at ten <3", "clientMessageId": "7f1c0d2e-client-1"}""")
  public record SendMessageRequest(
      @Schema(
              description =
                  "1..10,000 characters after trimming; no control characters but tab and line"
                      + " breaks. Stored as text, HTML is never interpreted.",
              minLength = 1,
              maxLength = ConversationLimits.TEXT_MAX)
          @NotNull
          String text,
      @Schema(
              description =
                  "Optional idempotency key: a retry with the same key answers the first outcome"
                      + " (Idempotency-Key stands in for it when absent)",
              minLength = 1,
              maxLength = ConversationLimits.CLIENT_MESSAGE_ID_MAX)
          String clientMessageId) {}

  @Schema(
      example =
          """
          {"warnThreshold": 0.6, "blockThreshold": 0.8}""")
  public record ModerationThresholdsRequest(
      @Schema(description = "Warn (and flag) at or above; 0 < warnThreshold < blockThreshold")
          @NotNull
          BigDecimal warnThreshold,
      @Schema(description = "Block at or above; blockThreshold <= 1; at most 3 decimals each")
          @NotNull
          BigDecimal blockThreshold) {}

  /**
   * With an {@code Idempotency-Key}, the conversation id is derived from (caller, key): a retry
   * targets the same aggregate, which already exists, and answers the same id with no new event.
   */
  @Operation(
      summary = "Start a conversation",
      description =
          "Role USER. The caller becomes its owner and a participant. With an Idempotency-Key, a"
              + " retry answers the same conversation and creates nothing.")
  @ApiResponse(
      responseCode = "201",
      description = "Started",
      headers = @Header(name = "Location", description = "/api/v1/conversations/{conversationId}"),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = ConversationCreatedResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41"}""")))
  @ApiResponse(
      responseCode = "400",
      description =
          "title missing or not 1..200 characters; participants not user ids or more than 1,000")
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<ConversationCreatedResponse> startConversation(
      @Valid @RequestBody StartConversationRequest request,
      @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
      Principal caller) {
    UUID conversationId =
        idempotencyKey == null
            ? TimeOrderedIds.next()
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

  @Operation(
      summary = "Add a participant",
      description = "Role USER; participants only. Adding a participant again changes nothing.")
  @ApiResponse(responseCode = "204", description = "Added (or already a participant)")
  @ApiResponse(responseCode = "400", description = "userId missing or not a user id")
  @ApiResponse(
      responseCode = "403",
      description = "Only participants of the conversation may do this")
  @ApiResponse(responseCode = "404", description = "No such conversation")
  @ApiResponse(
      responseCode = "422",
      description = "The conversation already has 1,000 participants, the most it may have")
  @PostMapping(path = "/{conversationId}/participants", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void addParticipant(
      @PathVariable UUID conversationId,
      @Valid @RequestBody AddParticipantRequest request,
      Principal caller) {
    commandGateway.sendAndWait(
        new AddParticipantCommand(conversationId, caller.getName(), request.userId()));
  }

  @Operation(
      summary = "Send a message",
      description =
          "Role USER; participants only. The text is scored and the verdict decided against the"
              + " conversation's thresholds: a BLOCKED message is recorded for audit but never"
              + " shown; a WARNED one is shown and flagged for moderators. A retry with the same"
              + " clientMessageId (or Idempotency-Key) answers the first outcome.")
  @ApiResponse(
      responseCode = "201",
      description = "Accepted with its verdict",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = MessageSendResult.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"messageId": "9d2f6b1a-5c3e-4f70-8a19-6e4b2c7d0f35",
                           "verdict": "ALLOWED", "toxicity": 0.031}""")))
  @ApiResponse(
      responseCode = "400",
      description =
          "text missing, blank, over 10,000 characters or with control characters;"
              + " clientMessageId not 1..128 characters")
  @ApiResponse(
      responseCode = "403",
      description = "Only participants of the conversation may do this")
  @ApiResponse(responseCode = "404", description = "No such conversation")
  @ApiResponse(
      responseCode = "429",
      description =
          "Too many messages from this sender into this conversation (default 30 a minute)")
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
            conversationId,
            TimeOrderedIds.next(),
            caller.getName(),
            request.text(),
            clientMessageId));
  }

  @Operation(
      summary = "Change the moderation thresholds",
      description =
          "Role USER as the conversation's owner, or role MODERATOR. Applies to messages sent"
              + " afterwards.")
  @ApiResponse(responseCode = "204", description = "Changed (or unchanged)")
  @ApiResponse(
      responseCode = "400",
      description =
          "A threshold missing, or not 0 < warnThreshold < blockThreshold <= 1 with at most 3"
              + " decimals")
  @ApiResponse(
      responseCode = "403",
      description = "Only the owner or a moderator may change moderation thresholds")
  @ApiResponse(responseCode = "404", description = "No such conversation")
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
