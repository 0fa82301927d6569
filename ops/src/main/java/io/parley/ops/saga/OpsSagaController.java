package io.parley.ops.saga;

import io.parley.api.PageSize;
import io.parley.api.error.InvalidInputException;
import io.parley.ops.saga.SagaViews.SagaDetailView;
import io.parley.ops.saga.SagaViews.SagasResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API.md "Operations": saga types and instances. Role OPS (the security chain enforces it). */
@RestController
@Tag(name = "Operations")
public class OpsSagaController {

  static final int DEFAULT_PAGE = 20;
  static final int MAX_PAGE = 100;

  /** Axon's saga ids fit the saga store's column. */
  static final int MAX_SAGA_ID = 255;

  private final SagaReadService sagas;

  public OpsSagaController(SagaReadService sagas) {
    this.sagas = sagas;
  }

  @Operation(
      summary = "List saga types and instances",
      description =
          "Role OPS. types: every saga type with its active instances (in the saga store) and"
              + " ended ones still in the saga journal (kept 7 days after they end). items: active"
              + " and journalled ended instances in saga id order, a page at a time: pass"
              + " nextCursor as after for the next page; null on the last. Association values are"
              + " shown in clear only for declared id keys holding a UUID, otherwise as an"
              + " hmac: pseudonym. startedAt is null for sagas started before the journal"
              + " existed.")
  @ApiResponse(
      responseCode = "200",
      description = "Types and a page of instances",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = SagasResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"types": [{"type": "ErasureSaga", "active": 1, "ended": 0}],
                           "items": [{"sagaId": "0b6f2c4e-5d1a-4f3b-9e8c-7a2d1c0e9f84",
                                      "type": "ErasureSaga",
                                      "associations": [{"key": "subjectId",
                                                        "value": "hmac:3f9a1c0d7e2b6a45"}],
                                      "startedAt": "2026-12-01T09:15:02.481Z",
                                      "endedAt": null,
                                      "deadlines": [{"name": "erasure-due",
                                                     "dueAt": "2026-12-31T09:15:02.481Z"}]}],
                           "nextCursor": null}""")))
  @ApiResponse(
      responseCode = "400",
      description = "limit not 1..100; after not a cursor this API returned")
  @ApiResponse(responseCode = "404", description = "type names no saga type")
  @GetMapping(path = "/api/v1/ops/sagas", produces = MediaType.APPLICATION_JSON_VALUE)
  public SagasResponse sagas(
      @Parameter(description = "A saga type (simple or full class name); absent for all")
          @RequestParam(name = "type", required = false)
          String type,
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
    return sagas.list(type, SagaCursor.decode(after), pageSize);
  }

  @Operation(
      summary = "Read a saga instance",
      description =
          "Role OPS. An active instance, or an ended one still in the saga journal, with its"
              + " timeline: the newest 50 events it handled, oldest first (global index, event"
              + " type, when). Never an event payload.")
  @ApiResponse(
      responseCode = "200",
      description = "The instance",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = SagaDetailView.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"sagaId": "0b6f2c4e-5d1a-4f3b-9e8c-7a2d1c0e9f84",
                           "type": "ErasureSaga",
                           "associations": [{"key": "subjectId",
                                             "value": "hmac:3f9a1c0d7e2b6a45"}],
                           "startedAt": "2026-12-01T09:15:02.481Z", "endedAt": null,
                           "deadlines": [{"name": "erasure-due",
                                          "dueAt": "2026-12-31T09:15:02.481Z"}],
                           "timeline": [{"globalIndex": 4711, "type": "ErasureRequestedEvent",
                                         "handledAt": "2026-12-01T09:15:02.481Z"}]}""")))
  @ApiResponse(
      responseCode = "400",
      description = "sagaId longer than 255 characters or not printable ASCII")
  @ApiResponse(responseCode = "404", description = "No such saga (or ended and pruned)")
  @GetMapping(path = "/api/v1/ops/sagas/{sagaId}", produces = MediaType.APPLICATION_JSON_VALUE)
  public SagaDetailView saga(@PathVariable String sagaId) {
    if (sagaId.length() > MAX_SAGA_ID || !sagaId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new InvalidInputException("sagaId", "is not a saga id");
    }
    return sagas.instance(sagaId);
  }
}
