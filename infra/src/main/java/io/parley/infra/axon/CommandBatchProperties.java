package io.parley.infra.axon;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Group commit of commands ({@code parley.command-batch.*}, ADR 0021).
 *
 * @param maxSize the most commands handled in one transaction
 * @param window how long the committer waits for more commands after a batch of more than one
 *     (never while commands arrive one at a time); zero never waits
 * @param committers how many batches may run at once (each in its own transaction): 1 with the
 *     built-in scorer; raise it with a remote scorer (Perspective), whose calls a batch otherwise
 *     makes one after another
 */
@ConfigurationProperties("parley.command-batch")
public record CommandBatchProperties(
    @DefaultValue("64") int maxSize,
    @DefaultValue("PT0.002S") Duration window,
    @DefaultValue("1") int committers) {

  public CommandBatchProperties {
    if (maxSize < 1) {
      throw new IllegalArgumentException("parley.command-batch.max-size must be at least 1");
    }
    if (committers < 1 || committers > 256) {
      throw new IllegalArgumentException("parley.command-batch.committers must be 1..256");
    }
    if (window.isNegative() || window.compareTo(Duration.ofMillis(100)) > 0) {
      throw new IllegalArgumentException("parley.command-batch.window must be 0..100 ms");
    }
  }
}
