package io.parley.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** One clear line, once the application is ready, with where to go next. */
@Component
public class ParleyStartupBanner {

  private static final Logger log = LoggerFactory.getLogger(ParleyStartupBanner.class);

  @EventListener
  public void onReady(ApplicationReadyEvent event) {
    if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
      return;
    }
    int port = web.getWebServer().getPort();
    boolean prod = ParleyModes.isProd(event.getApplicationContext().getEnvironment());
    String base = "http://localhost:" + port;
    log.info(
        "Parley is ready: API {}/api/v1 | docs {}/api/docs (Swagger UI {}/swagger-ui.html) | health {}/actuator/health{}",
        base,
        base,
        base,
        base,
        prod
            ? ""
            : " | dev token: curl -X POST "
                + base
                + "/api/dev/tokens -H 'Content-Type: application/json' -d '{\"sub\":\"alice\",\"roles\":[\"USER\"]}'");
  }
}
