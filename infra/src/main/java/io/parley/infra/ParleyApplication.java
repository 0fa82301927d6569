package io.parley.infra;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Parley: one Spring Boot application wiring the command side, query side and sagas. */
@SpringBootApplication(scanBasePackages = "io.parley")
@ConfigurationPropertiesScan("io.parley.infra")
public class ParleyApplication {

  public static void main(String[] args) {
    SpringApplication.run(ParleyApplication.class, args);
  }
}
