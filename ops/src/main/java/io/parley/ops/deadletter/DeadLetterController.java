package io.parley.ops.deadletter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API.md "Operations": the dead letters of projections and sagas. Role OPS. */
@RestController
@Tag(name = "Operations")
public class DeadLetterController {

  private final DeadLetterService deadLetters;

  public DeadLetterController(DeadLetterService deadLetters) {
    this.deadLetters = deadLetters;
  }

  public record DeadLettersResponse(List<DeadLetterView> items) {}

  @Operation(
      summary = "List dead letters",
      description =
          "Role OPS. The events every processor parked, projections' and sagas' alike, processor"
              + " by processor in queue order, at most "
              + DeadLetterService.MAX_ITEMS
              + ". No payload is shown; cause.message is masked (quoted and bracketed text, values"
              + " and words with digits or @ removed). sequenceId is the aggregate id for a"
              + " projection, the saga id for a saga.")
  @ApiResponse(
      responseCode = "200",
      description = "The dead letters",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = DeadLettersResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"items": [{"id": "0b8f2c1e-6a4d-4f3b-9e2a-7c5d1e8f3a90",
                                      "processor": "timeline",
                                      "sequenceId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                                      "eventType": "MessageSentEvent",
                                      "eventId": "9d1e7f3a-2b4c-4d5e-8f6a-1b2c3d4e5f60",
                                      "globalIndex": 1042,
                                      "cause": {"type": "org.springframework.dao.DuplicateKeyException",
                                                "message": "duplicate key value violates unique constraint ?"},
                                      "enqueuedAt": "2026-12-01T09:15:02.481Z",
                                      "lastTouchedAt": "2026-12-01T09:20:11.004Z",
                                      "retries": 1}]}""")))
  @ApiResponse(responseCode = "400", description = "The request's URL or a header is not allowed")
  @ApiResponse(responseCode = "404", description = "No such processor")
  @GetMapping(path = "/api/v1/ops/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
  public DeadLettersResponse list(
      @Parameter(description = "Only this processor's dead letters")
          @RequestParam(name = "processor", required = false)
          String processor) {
    return new DeadLettersResponse(deadLetters.list(processor));
  }

  @Operation(
      summary = "Retry a dead letter",
      description =
          "Role OPS. Retries the letter's sequence (the letter and the ones parked with it, from"
              + " the first) through its processor, synchronously: 202 once the retry has run."
              + " Letters handled are gone from the list; the first that fails again stays, with"
              + " retries raised and lastTouchedAt updated.")
  @ApiResponse(responseCode = "202", description = "The retry ran; GET shows its outcome")
  @ApiResponse(responseCode = "400", description = "The request's URL or a header is not allowed")
  @ApiResponse(responseCode = "404", description = "No such dead letter")
  @ApiResponse(
      responseCode = "409",
      description = "The letter's sequence holds the claim of another retry (it lapses after 30 s)")
  @PostMapping(path = "/api/v1/ops/dead-letters/{id}/retry")
  public ResponseEntity<Void> retry(
      @Parameter(description = "The dead letter's id") @PathVariable String id, Principal caller) {
    deadLetters.retry(id, caller.getName());
    return ResponseEntity.accepted().build();
  }

  @Operation(
      summary = "Evict a dead letter",
      description =
          "Role OPS. Removes the letter for good: its event is never handled by that processor"
              + " (replay a projection to make it complete again). Later letters of its sequence"
              + " stay parked.")
  @ApiResponse(responseCode = "204", description = "Evicted")
  @ApiResponse(responseCode = "400", description = "The request's URL or a header is not allowed")
  @ApiResponse(responseCode = "404", description = "No such dead letter")
  @DeleteMapping(path = "/api/v1/ops/dead-letters/{id}")
  public ResponseEntity<Void> evict(
      @Parameter(description = "The dead letter's id") @PathVariable String id, Principal caller) {
    deadLetters.evict(id, caller.getName());
    return ResponseEntity.noContent().build();
  }
}
