package io.parley.query.subject;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.api.conversation.ConversationLimits;
import io.parley.api.error.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.Principal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** GDPR exports: the caller's own, or (COMPLIANCE) any subject's. 410 once erased. */
@RestController
@Tag(name = "Data subject rights")
public class SubjectExportController {

  static final String EXPORTED = "The export, one JSON document";

  static final String EXPORT_SCHEMA =
      "Everything held about the subject: consents, consentHistory, conversations (their role;"
          + " titles only of those they own), messages (delivered ones with removed, and blocked"
          + " ones still held), flagsRaised (with their reason and note), flagsAgainst (without"
          + " who flagged or why), cards";

  static final String DOCUMENT =
      """
      {"subjectId": "alice", "generatedAt": "2026-12-01T10:00:00.250Z",
       "consents": [{"purpose": "ANALYTICS", "granted": true, "policyVersion": "2026-11",
                     "changedAt": "2026-12-01T08:00:00.125Z"}],
       "consentHistory": [{"purpose": "ANALYTICS", "granted": true, "policyVersion": "2026-11",
                           "changedAt": "2026-12-01T08:00:00.125Z"}],
       "conversations": [{"conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                          "role": "OWNER", "title": "Weekend plans",
                          "createdAt": "2026-12-01T08:00:00.125Z",
                          "joinedAt": "2026-12-01T08:00:00.125Z"}],
       "messages": [{"messageId": "9d2f6b1a-5c3e-4f70-8a19-6e4b2c7d0f35",
                     "conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                     "text": "See you at ten <3", "sentAt": "2026-12-01T09:15:02.481Z",
                     "verdict": "ALLOWED", "removed": false}],
       "flagsRaised": [{"flagId": "c41e7a90-2b6d-4f38-9e15-7a0d3b8c6f22",
                        "messageId": "0b7e3c5d-1a2f-4e68-9d40-8c6b5a3f2e19",
                        "conversationId": "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
                        "status": "RESOLVED", "outcome": "DISMISSED",
                        "raisedAt": "2026-12-01T09:20:00.000Z",
                        "resolvedAt": "2026-12-01T11:02:13.370Z",
                        "reason": "spam", "note": null}],
       "flagsAgainst": [],
       "cards": []}""";

  private final SubjectExportWriter writer;
  private final Timer duration;
  private final DistributionSummary size;

  public SubjectExportController(SubjectExportWriter writer, MeterRegistry meters) {
    this.writer = writer;
    this.duration =
        Timer.builder("parley.export.duration")
            .description("Time to write a GDPR export")
            .register(meters);
    this.size =
        DistributionSummary.builder("parley.export.size")
            .baseUnit("bytes")
            .description("Size of GDPR exports")
            .register(meters);
  }

  @Operation(
      summary = "Export everything held about the caller",
      description = "Role USER, about the caller. A download (Content-Disposition: attachment).")
  @ApiResponse(
      responseCode = "200",
      description = EXPORTED,
      headers = @Header(name = "Content-Disposition", description = "attachment"),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(type = "object", description = EXPORT_SCHEMA),
              examples = @ExampleObject(value = DOCUMENT)))
  @ApiResponse(responseCode = "400", description = "The request's URL or a header is not allowed")
  @ApiResponse(responseCode = "410", description = "This data subject has been erased")
  @GetMapping(path = "/api/v1/me/export", produces = MediaType.APPLICATION_JSON_VALUE)
  public void exportMine(Principal caller, HttpServletResponse response) throws IOException {
    export(caller.getName(), response);
  }

  @Operation(
      summary = "Export everything held about any data subject",
      description =
          "Role COMPLIANCE. The same document as the subject's own export; a subject Parley"
              + " knows nothing about gets a document with empty lists.")
  @ApiResponse(
      responseCode = "200",
      description = EXPORTED,
      headers = @Header(name = "Content-Disposition", description = "attachment"),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(type = "object", description = EXPORT_SCHEMA),
              examples = @ExampleObject(value = DOCUMENT)))
  @ApiResponse(responseCode = "400", description = "subjectId is not a user id")
  @ApiResponse(responseCode = "410", description = "This data subject has been erased")
  @GetMapping(
      path = "/api/v1/compliance/subjects/{subjectId}/export",
      produces = MediaType.APPLICATION_JSON_VALUE)
  public void exportSubject(@PathVariable String subjectId, HttpServletResponse response)
      throws IOException {
    if (!ConversationLimits.isValidUserId(subjectId)) {
      throw new InvalidInputException("subjectId", "must be 1..64 characters of [A-Za-z0-9._@-]");
    }
    export(subjectId, response);
  }

  private void export(String subjectId, HttpServletResponse response) throws IOException {
    writer.requireExportable(subjectId);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"parley-export.json\"");
    CountingOutputStream out = new CountingOutputStream(response.getOutputStream());
    duration.record(() -> writer.write(subjectId, out));
    size.record(out.count);
  }

  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
