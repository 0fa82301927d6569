package io.parley.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parley.api.audit.AuditAccessedEvent;
import io.parley.api.error.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audit/integrity} (API.md "Audit"): recomputes the audit hash chain from the
 * stored rows. The verifier is called directly rather than through the query bus: this is a long,
 * streaming computation over one database, not a read-model lookup another node could answer.
 */
@RestController
@Tag(name = "Audit")
@RequestMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
public class AuditIntegrityController {

  private final AuditChainVerifier verifier;
  private final AuditAccessLog accessLog;

  public AuditIntegrityController(AuditChainVerifier verifier, AuditAccessLog accessLog) {
    this.verifier = verifier;
    this.accessLog = accessLog;
  }

  /** The answer as API.md gives it: {@code head} when verified, {@code firstBrokenAt} when not. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IntegrityResponse(boolean verified, long events, String head, Long firstBrokenAt) {}

  @Operation(
      summary = "Verify the audit hash chain",
      description =
          "Role COMPLIANCE, with X-Audit-Reason. Recomputes the hash chain over every stored event"
              + " it covers; events committed in the last seconds may not be covered yet (events"
              + " says how many are). The read is itself recorded as an AuditAccessedEvent.")
  @ApiResponse(
      responseCode = "200",
      description = "The chain verified, or the global index of the first event that does not",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = IntegrityResponse.class),
              examples = {
                @ExampleObject(
                    name = "verified",
                    value =
                        """
                        {"verified": true, "events": 1048576,
                         "head": "9f2c4e1a0b7d3c5e8f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a"}"""),
                @ExampleObject(
                    name = "broken",
                    value =
                        """
                        {"verified": false, "events": 1048576, "firstBrokenAt": 52311}""")
              }))
  @ApiResponse(responseCode = "400", description = "X-Audit-Reason missing, blank or too long")
  @ApiResponse(responseCode = "403", description = "Not a compliance officer")
  @GetMapping("/integrity")
  public IntegrityResponse integrity(
      @Parameter(description = "Why the chain is verified (1..500 characters); recorded")
          @RequestHeader(name = AuditAccessLog.REASON_HEADER, required = false)
          String reasonHeader,
      Principal caller) {
    String reason;
    try {
      reason = AuditAccessLog.requireReason(reasonHeader);
    } catch (InvalidInputException rejected) {
      accessLog.count(AuditAccessedEvent.INTEGRITY, "rejected");
      throw rejected;
    }
    AuditChainVerifier.Result result = verifier.verify();
    accessLog.record(
        caller.getName(), reason, AuditAccessedEvent.INTEGRITY, Map.of(), result.checked());
    accessLog.count(AuditAccessedEvent.INTEGRITY, "ok");
    return new IntegrityResponse(
        result.verified(), result.events(), result.head(), result.firstBrokenAt());
  }
}
