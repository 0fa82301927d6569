package io.parley.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.infra.ParleyProperties;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Tomcat's share of "every error is a problem document": its error report valve answers the
 * requests it refuses before Parley sees them ({@link ProblemErrorReportValve}), and it parses no
 * form body larger than Parley accepts any body ({@code parley.max-request-body}).
 */
@Configuration(proxyBeanMethods = false)
public class TomcatConfig {

  @Bean
  public WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(
      ObjectMapper objectMapper, ParleyProperties properties) {
    return new ProblemErrorReports(objectMapper, properties);
  }

  /**
   * Runs after Boot's own Tomcat customizer (order 0), whose context customizer adds a plain {@link
   * ErrorReportValve} to the host: this one replaces it.
   */
  static final class ProblemErrorReports
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final ObjectMapper objectMapper;
    private final ParleyProperties properties;

    ProblemErrorReports(ObjectMapper objectMapper, ParleyProperties properties) {
      this.objectMapper = objectMapper;
      this.properties = properties;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            Container host = context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
              if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
              }
            }
            host.getPipeline().addValve(new ProblemErrorReportValve(objectMapper));
            if (host instanceof StandardHost standardHost) {
              // Else the host adds its default valve at start, finding none of that class.
              standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
          });
      int maxBody = (int) Math.min(Integer.MAX_VALUE, properties.maxRequestBody().toBytes());
      factory.addConnectorCustomizers(connector -> connector.setMaxPostSize(maxBody));
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
