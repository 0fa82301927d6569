package io.parley.ops.page;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ops}: the operations page (API.md "Operations"). Static and free of data, so served
 * without a token; its script ({@code /ops/ops.js}, a static resource) asks for an OPS token and
 * calls {@code /api/v1/ops/**} with it. The policy lets the page load only its own script and style
 * and talk only to its own origin.
 */
@Hidden
@RestController
public class OpsPageController {

  /**
   * Beside this class, not among the static resources: served only here, with the policy below (its
   * script and style are static resources under {@code /ops/}).
   */
  static final String PAGE = "io/parley/ops/page/index.html";

  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final String page;

  public OpsPageController() {
    try (InputStream in = OpsPageController.class.getClassLoader().getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException("The /ops page is missing from the classpath: " + PAGE);
      }
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GetMapping(path = {"/ops", "/ops/"})
  public ResponseEntity<String> page() {
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
        .cacheControl(CacheControl.noCache())
        .header("Content-Security-Policy", POLICY)
        .header("Referrer-Policy", "no-referrer")
        .body(page);
  }
}
