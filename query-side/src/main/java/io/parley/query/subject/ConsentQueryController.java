package io.parley.query.subject;

import io.parley.api.subject.ConsentsView;
import io.parley.api.subject.FetchConsentsQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/me/consents}: the caller's consents (every purpose) and their history. */
@RestController
@Tag(name = "Consent")
public class ConsentQueryController {

  private final QueryGateway queryGateway;

  public ConsentQueryController(QueryGateway queryGateway) {
    this.queryGateway = queryGateway;
  }

  @Operation(
      summary = "Read the caller's consents and their history",
      description =
          "Role USER, about the caller. consents holds every purpose (not granted, with null"
              + " policyVersion and changedAt, until first set); history every change, oldest"
              + " first.")
  @ApiResponse(
      responseCode = "200",
      description = "The caller's consents",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = ConsentsView.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"consents": [{"purpose": "CARD_GENERATION", "granted": false,
                                         "policyVersion": null, "changedAt": null},
                                        {"purpose": "ANALYTICS", "granted": true,
                                         "policyVersion": "2026-11",
                                         "changedAt": "2026-12-01T08:00:00.125Z"},
                                        {"purpose": "AI_PROCESSING", "granted": false,
                                         "policyVersion": null, "changedAt": null}],
                           "history": [{"purpose": "ANALYTICS", "granted": true,
                                        "policyVersion": "2026-11",
                                        "changedAt": "2026-12-01T08:00:00.125Z"}]}""")))
  @ApiResponse(responseCode = "400", description = "The request's URL or a header is not allowed")
  @GetMapping(path = "/api/v1/me/consents", produces = MediaType.APPLICATION_JSON_VALUE)
  public ConsentsView consents(Principal caller) {
    return queryGateway
        .query(
            new FetchConsentsQuery(caller.getName()), ResponseTypes.instanceOf(ConsentsView.class))
        .join();
  }
}
