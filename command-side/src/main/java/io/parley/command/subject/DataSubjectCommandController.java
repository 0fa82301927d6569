package io.parley.command.subject;

import io.parley.api.conversation.ConversationLimits;
import io.parley.api.error.InvalidInputException;
import io.parley.api.subject.CancelErasureCommand;
import io.parley.api.subject.ChangeConsentCommand;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ErasureRequestResult;
import io.parley.api.subject.RequestErasureCommand;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import java.time.Duration;
import java.util.UUID;
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

  public record ConsentRequest(@NotNull Boolean granted, @NotNull String policyVersion) {}

  public record ComplianceErasureRequest(@NotNull Boolean immediate, @NotNull String reason) {}

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

  @PostMapping(path = "/api/v1/me/erasure", produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ErasureRequestResult requestErasure(Principal caller) {
    return sendCreatingIfMissing(
        new RequestErasureCommand(
            caller.getName(), UUID.randomUUID(), caller.getName(), gracePeriod, null));
  }

  @DeleteMapping("/api/v1/me/erasure")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void cancelErasure(Principal caller) {
    commandGateway.sendAndWait(new CancelErasureCommand(caller.getName()));
  }

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
            UUID.randomUUID(),
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
