package io.parley.infra.support;

import io.parley.infra.ParleyApplication;
import io.parley.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Parley application started in the test JVM on a random port, as one node of a cluster
 * would run: for tests of several nodes on one database, or of a restart. Close the returned
 * context to stop it.
 */
public final class ParleyNode {

  private ParleyNode() {}

  /** A node on {@code db}, keeping its files (dev signing key) in {@code dataDir}. */
  public static ConfigurableApplicationContext start(
      Path dataDir, TestDatabase.Connection db, String... extraArguments) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--parley.data-dir=" + dataDir,
                "--parley.db.url=" + db.url(),
                "--parley.db.user=" + db.user(),
                "--parley.db.password=" + db.password()));
    arguments.addAll(List.of(extraArguments));
    return new SpringApplicationBuilder(ParleyApplication.class)
        .run(arguments.toArray(String[]::new));
  }

  /** An HTTP client for a started node. */
  public static ApiClient client(ConfigurableApplicationContext node) {
    return new ApiClient(((WebServerApplicationContext) node).getWebServer().getPort());
  }
}
