package io.parley.query.subject;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.api.conversation.ConversationLimits;
import io.parley.api.error.InvalidInputException;
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
public class SubjectExportController {

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

  @GetMapping(path = "/api/v1/me/export", produces = MediaType.APPLICATION_JSON_VALUE)
  public void exportMine(Principal caller, HttpServletResponse response) throws IOException {
    export(caller.getName(), response);
  }

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
