package io.parley.command.subject;

import io.parley.api.TimeOrderedIds;
import io.parley.api.conversation.ConversationLimits;
import io.parley.api.error.InvalidInputException;
import io.parley.api.subject.CancelErasureCommand;
import io.parley.api.subject.ChangeConsentCommand;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ErasureRequestResult;
import io.parley.api.subject.RequestErasureCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import java.time.Duration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * API.md "Consent" (commands) and "Data subject rights" (erasure). The caller's own data under
 * {@code /api/v1/me}; any subject's under {@code /api/v1/compliance} (COMPLIANCE role, enforced by
 * the security configuration).
 */
@RestController
public class DataSubjectCommandController {

  private final CommandGateway commandGateway;
  private final Duration gracePeriod;

  public DataSubjectCommandController(
      CommandGateway commandGateway,
      @Value("${parley.erasure.grace-period:P30D}") Duration gracePeriod) {
    this.commandGateway = commandGateway;
    this.gracePeriod = gracePeriod;
  }

  static final String CONSENT = "Consent";
  static final String RIGHTS = "Data subject rights";

  /** What requesting an erasure answers, in the document. */
  static final String ERASURE_REQUESTED =
      """
      {"erasureId": "5e8b2d14-7c6a-4a09-b3f1-0d9c2e6a4b87",
       "effectiveAt": "2027-01-01T09:30:00Z"}""";

  @Schema(
      example =
          """
          {"granted": true, "policyVersion": "2026-11"}""")
  public record ConsentRequest(
      @NotNull Boolean granted,
      @Schema(
              description =
                  "The version of the policy the caller saw: 1..64 characters, no control"
                      + " characters",
              minLength = 1,
              maxLength = DataSubjectAggregate.POLICY_VERSION_MAX)
          @NotNull
          String policyVersion) {}

  @Schema(
      example =
          """
          {"immediate": true, "reason": "Verified request, ticket DPO-1234"}""")
  public record ComplianceErasureRequest(
      @Schema(description = "true: now, without the grace period; false: after it") @NotNull
          Boolean immediate,
      @Schema(
              description = "Why (kept with the erasure): not blank, up to 2,000 characters",
              maxLength = DataSubjectAggregate.REASON_MAX)
          @NotNull
          String reason) {}

  @Operation(
      tags = CONSENT,
      summary = "Grant or withdraw one of the caller's consents",
      description =
          "Role USER, about the caller. Every purpose starts not granted; core messaging needs"
              + " no consent. Setting the current state again changes nothing.")
  @ApiResponse(responseCode = "204", description = "Recorded (or unchanged)")
  @ApiResponse(
      responseCode = "400",
      description =
          "Unknown purpose; granted missing or not a boolean; policyVersion missing or not"
              + " 1..64 characters")
  @ApiResponse(responseCode = "409", description = "This data subject has been erased")
  @PutMapping(path = "/api/v1/me/consents/{purpose}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void changeConsent(
      @PathVariable ConsentPurpose purpose,
      @Valid @RequestBody ConsentRequest request,
      Principal caller) {
    sendCreatingIfMissing(
        new ChangeConsentCommand(
            caller.getName(), purpose, request.granted(), request.policyVersion()));
  }

  @Operation(
      tags = RIGHTS,
      summary = "Request the erasure of the caller's personal data",
      description =
          "Role USER, about the caller. Carried out when the grace period (default 30 days)"
              + " ends, unless cancelled before; then the caller's personal data is"
              + " unrecoverable everywhere. Asking again while one is pending answers that one.")
  @ApiResponse(
      responseCode = "202",
      description = "Erasure scheduled",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = ErasureRequestResult.class),
              examples = @ExampleObject(value = ERASURE_REQUESTED)))
  @ApiResponse(responseCode = "400", description = "The Idempotency-Key is not 1..128 characters")
  @ApiResponse(responseCode = "409", description = "This data subject has been erased")
  @PostMapping(path = "/api/v1/me/erasure", produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ErasureRequestResult requestErasure(Principal caller) {
    return sendCreatingIfMissing(
        new RequestErasureCommand(
            caller.getName(), TimeOrderedIds.next(), caller.getName(), gracePeriod, null));
  }

  @Operation(
      tags = RIGHTS,
      summary = "Cancel the caller's pending erasure",
      description = "Role USER, about the caller. Possible while the grace period runs.")
  @ApiResponse(responseCode = "204", description = "Cancelled")
  @ApiResponse(responseCode = "400", description = "The request's URL or a header is not allowed")
  @ApiResponse(responseCode = "404", description = "No erasure is pending")
  @ApiResponse(
      responseCode = "409",
      description = "The grace period is over; the erasure can no longer be cancelled")
  @DeleteMapping("/api/v1/me/erasure")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void cancelErasure(Principal caller) {
    commandGateway.sendAndWait(new CancelErasureCommand(caller.getName()));
  }

  @Operation(
      tags = RIGHTS,
      summary = "Erase any data subject",
      description =
          "Role COMPLIANCE. immediate: true erases now; false after the grace period. A pending"
              + " erasure is brought forward, never pushed back.")
  @ApiResponse(
      responseCode = "202",
      description = "Erasure scheduled (or carried out at once)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = ErasureRequestResult.class),
              examples = @ExampleObject(value = ERASURE_REQUESTED)))
  @ApiResponse(
      responseCode = "400",
      description =
          "subjectId not a user id; immediate missing or not a boolean; reason missing, blank or"
              + " over 2,000 characters")
  @ApiResponse(responseCode = "409", description = "This data subject has been erased")
  @PostMapping(
      path = "/api/v1/compliance/subjects/{subjectId}/erasure",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ErasureRequestResult requestErasureOf(
      @PathVariable String subjectId,
      @Valid @RequestBody ComplianceErasureRequest request,
      Principal caller) {
    if (!ConversationLimits.isValidUserId(subjectId)) {
      throw new InvalidInputException("subjectId", "must be 1..64 characters of [A-Za-z0-9._@-]");
    }
    if (request.reason().isBlank()) {
      throw new InvalidInputException("reason", "must not be blank");
    }
    return sendCreatingIfMissing(
        new RequestErasureCommand(
            subjectId,
            TimeOrderedIds.next(),
            caller.getName(),
            request.immediate() ? Duration.ZERO : gracePeriod,
            request.reason()));
  }

  /**
   * The first command for a subject creates its aggregate. If two nodes create it at once, one
   * append fails on the unique key; sent again, the command finds the aggregate and applies to it.
   */
  private <R> R sendCreatingIfMissing(Object command) {
    try {
      return commandGateway.sendAndWait(command);
    } catch (AggregateStreamCreationException createdConcurrently) {
      return commandGateway.sendAndWait(command);
    }
  }
}
