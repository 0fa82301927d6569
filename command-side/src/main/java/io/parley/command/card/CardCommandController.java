package io.parley.command.card;

import io.parley.api.TimeOrderedIds;
import io.parley.api.card.CardView;
import io.parley.api.card.RequestCardCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.Principal;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command half of API.md's "Conversation cards": a participant requests a card. The card is
 * made asynchronously by the card generation saga; the answer is 202 with where to look.
 */
@RestController
@Tag(name = "Conversation cards")
public class CardCommandController {

  private final CommandGateway commandGateway;

  public CardCommandController(CommandGateway commandGateway) {
    this.commandGateway = commandGateway;
  }

  public record CardRequestedResponse(UUID cardId) {}

  @Operation(
      summary = "Request a card of the conversation",
      description =
          "Role USER; participants only. The card draws on the messages delivered since the"
              + " conversation's previous card (at most the latest 200) written by participants"
              + " who granted CARD_GENERATION; it is PENDING until made (READY) or FAILED. With an"
              + " Idempotency-Key a retry answers the first card. No request body.")
  @ApiResponse(
      responseCode = "202",
      description = "Requested; GET the Location to follow it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = CardRequestedResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"cardId": "5e0c9b7a-1d3f-4a62-8b4e-0f9a7c2d6e13"}""")))
  @ApiResponse(responseCode = "400", description = "conversationId is not a UUID")
  @ApiResponse(
      responseCode = "403",
      description = "Only participants of the conversation may do this")
  @ApiResponse(responseCode = "404", description = "No such conversation")
  @PostMapping(
      path = "/api/v1/conversations/{conversationId}/cards",
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<CardRequestedResponse> requestCard(
      @PathVariable UUID conversationId, Principal caller) {
    UUID cardId =
        commandGateway.sendAndWait(
            new RequestCardCommand(conversationId, TimeOrderedIds.next(), caller.getName()));
    return ResponseEntity.accepted()
        .location(URI.create(cardPath(cardId)))
        .body(new CardRequestedResponse(cardId));
  }

  /** The path of a card (its {@code Location}); the artwork's is {@link CardView#artworkPath}. */
  static String cardPath(UUID cardId) {
    return "/api/v1/cards/" + cardId;
  }
}
