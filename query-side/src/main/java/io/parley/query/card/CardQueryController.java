package io.parley.query.card;

import io.parley.api.PageSize;
import io.parley.api.card.CardView;
import io.parley.api.card.CardsPage;
import io.parley.api.card.FetchCardArtworkQuery;
import io.parley.api.card.FetchCardQuery;
import io.parley.api.card.FetchCardsQuery;
import io.parley.query.KeysetCursor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The query half of API.md's "Conversation cards". Participants of the card's conversation. */
@RestController
@Tag(name = "Conversation cards")
public class CardQueryController {

  static final int DEFAULT_PAGE = 20;
  static final int MAX_PAGE = 100;

  /** Opaque keyset cursor: the card number to read below. */
  static final KeysetCursor CARD_CURSOR = new KeysetCursor("c:", "before");

  /** An SVG is an active document: nothing it could load or run is allowed. */
  static final String ARTWORK_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

  static final MediaType SVG = MediaType.parseMediaType("image/svg+xml");

  private final QueryGateway queryGateway;

  public CardQueryController(QueryGateway queryGateway) {
    this.queryGateway = queryGateway;
  }

  public record CardsResponse(List<CardView> items, String nextCursor) {}

  @Operation(
      summary = "Read a conversation's cards",
      description =
          "Role USER; participants only. Newest first, a page at a time: pass nextCursor as"
              + " before for the next (older) page; nextCursor is null on the last page.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of cards",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = CardsResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"items": [{"cardId": "5e0c9b7a-1d3f-4a62-8b4e-0f9a7c2d6e13",
                                      "conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                                      "status": "PENDING", "failureReason": null,
                                      "rarity": null, "title": null, "caption": null,
                                      "sentiment": null, "messageCount": 0,
                                      "artworkUrl": null,
                                      "requestedAt": "2026-12-01T09:15:02.481Z",
                                      "generatedAt": null, "provider": null,
                                      "erased": false}],
                           "nextCursor": "Yzox"}""")))
  @ApiResponse(
      responseCode = "400",
      description =
          "limit not 1..100; before not a cursor this API returned; conversationId not a UUID")
  @ApiResponse(responseCode = "403", description = "Only participants may read this conversation")
  @ApiResponse(responseCode = "404", description = "No such conversation")
  @GetMapping(
      path = "/api/v1/conversations/{conversationId}/cards",
      produces = MediaType.APPLICATION_JSON_VALUE)
  public CardsResponse cards(
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
    CardsPage page =
        queryGateway
            .query(
                new FetchCardsQuery(
                    conversationId, caller.getName(), pageSize, CARD_CURSOR.decode(before)),
                ResponseTypes.instanceOf(CardsPage.class))
            .join();
    return new CardsResponse(page.items(), CARD_CURSOR.encode(page.nextBeforeNumber()));
  }

  @Operation(
      summary = "Read a card",
      description =
          "Role USER; participants of the card's conversation only. PENDING until made; READY"
              + " with rarity, title, caption, sentiment and artwork; FAILED with failureReason."
              + " After the erasure of any contributor, title and caption read null with erased:"
              + " true (rarity and sentiment stay).")
  @ApiResponse(
      responseCode = "200",
      description = "The card",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = CardView.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"cardId": "5e0c9b7a-1d3f-4a62-8b4e-0f9a7c2d6e13",
                           "conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                           "status": "READY", "failureReason": null, "rarity": "RARE",
                           "title": "Saturday hike", "caption": "Up at six and worth it.",
                           "sentiment": {"polarity": 0.64, "confidence": 0.81},
                           "messageCount": 50,
                           "artworkUrl": "/api/v1/cards/5e0c9b7a-1d3f-4a62-8b4e-0f9a7c2d6e13/artwork.svg",
                           "requestedAt": "2026-12-01T09:15:02.481Z",
                           "generatedAt": "2026-12-01T09:15:02.902Z",
                           "provider": "builtin", "erased": false}""")))
  @ApiResponse(responseCode = "400", description = "cardId is not a UUID")
  @ApiResponse(responseCode = "403", description = "Only participants may read this conversation")
  @ApiResponse(responseCode = "404", description = "No such card")
  @GetMapping(path = "/api/v1/cards/{cardId}", produces = MediaType.APPLICATION_JSON_VALUE)
  public CardView card(@PathVariable UUID cardId, Principal caller) {
    return queryGateway
        .query(
            new FetchCardQuery(cardId, caller.getName()), ResponseTypes.instanceOf(CardView.class))
        .join();
  }

  @Operation(
      summary = "Read a card's artwork",
      description =
          "Role USER; participants of the card's conversation only. An SVG with no script, no"
              + " event-handler attributes and no external references; 404 until the card is"
              + " READY.")
  @ApiResponse(
      responseCode = "200",
      description = "The artwork",
      content =
          @Content(
              mediaType = "image/svg+xml",
              schema = @Schema(type = "string"),
              examples =
                  @ExampleObject(
                      value =
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 420\""
                              + " width=\"300\" height=\"420\">…</svg>")))
  @ApiResponse(responseCode = "400", description = "cardId is not a UUID")
  @ApiResponse(responseCode = "403", description = "Only participants may read this conversation")
  @ApiResponse(responseCode = "404", description = "No such card, or the card is not READY")
  @GetMapping(path = "/api/v1/cards/{cardId}/artwork.svg")
  public ResponseEntity<String> artwork(@PathVariable UUID cardId, Principal caller) {
    String svg =
        queryGateway
            .query(
                new FetchCardArtworkQuery(cardId, caller.getName()),
                ResponseTypes.instanceOf(String.class))
            .join();
    return ResponseEntity.ok()
        .contentType(SVG)
        .header("Content-Security-Policy", ARTWORK_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.CACHE_CONTROL, "private, max-age=300")
        .body(svg);
  }
}
